/**
 * The I/O side: the client port ({@link io.heartbeat.server.ClientListener}, one per process),
 * the I/O verticles it hands accepted sockets to, and the state of each socket.
 *
 * <p>Everything about a socket runs on the event loop of the verticle instance it was given to;
 * nothing is shared between instances except the listener and the connection limits, which are
 * thread-safe.
 */
package io.heartbeat.server;
