/**
 * The Java client library of the Heartbeat service, on a Vert.x {@code NetClient}.
 *
 * <p>{@link io.heartbeat.client.HeartbeatClient} keeps one connection alive with the production
 * codec ({@link io.heartbeat.protocol}), to one of a list of servers, in plain TCP or TLS;
 * {@link io.heartbeat.client.HeartbeatClientOptions} holds its validated settings in the Vert.x
 * data-object style (times in ms, 0 disables where stated), with
 * {@link io.heartbeat.client.ServerAddress} and {@link io.heartbeat.client.ClientTlsOptions};
 * {@link io.heartbeat.client.Backoff} is the pure reconnect-delay policy;
 * {@link io.heartbeat.client.ConnectionOpened}, {@link io.heartbeat.client.DisconnectReason} and
 * {@link io.heartbeat.client.ReconnectScheduled} are the events it reports, and
 * {@link io.heartbeat.client.SessionGrant} what a protocol 1.1 server granted a client that opened
 * a session with a client id. The guide with every option is docs/JAVA-CLIENT.md.
 */
package io.heartbeat.client;
