/**
 * The I/O side: the I/O verticle instances that share the client port, and the state of each
 * connection.
 *
 * <p>Layers, from the socket in: an edge ({@link io.heartbeat.server.ClientPort}: the default
 * {@link io.heartbeat.server.NetServerPort}, a Vert.x {@code NetServer} per instance, or the lean
 * Netty listener of {@code io.heartbeat.server.netty}) accepts sockets and moves bytes; a
 * {@link io.heartbeat.server.ConnectionCore} per connection decodes and decides, with time as an
 * argument; the {@link io.heartbeat.server.IoVerticle} wires one instance together, with its
 * per-tick chores, its handlers for monitor and application commands and its drain.
 *
 * <p>Everything about a socket runs on the event loop of the instance it was given to; nothing
 * is shared between instances except the port and the connection limits, which are thread-safe.
 */
package io.heartbeat.server;
