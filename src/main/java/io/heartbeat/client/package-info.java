/**
 * The Java client library of the Heartbeat service, on a Vert.x {@code NetClient}.
 *
 * <p>{@link io.heartbeat.client.HeartbeatClient} keeps one connection alive with the production
 * codec ({@link io.heartbeat.protocol}); {@link io.heartbeat.client.HeartbeatClientOptions} holds
 * its validated settings (times in ms, 0 disables where stated); {@link io.heartbeat.client.Backoff}
 * is the pure reconnect-delay policy; {@link io.heartbeat.client.DisconnectReason} and
 * {@link io.heartbeat.client.ReconnectScheduled} are the events it reports.
 */
package io.heartbeat.client;
