package io.heartbeat.server;

import io.heartbeat.config.HeartbeatConfig;

/**
 * The I/O instance as its {@link ClientPort} sees it: the port hands it each accepted socket,
 * on the instance's event loop and Vert.x context, before the socket's first read.
 */
public interface Acceptor {

  /**
   * Takes a socket accepted at {@code nowNanos}; returns its connection core, which the edge
   * feeds from then on, or null when the instance refuses it (a connection limit or a drain),
   * and the edge closes the socket at once.
   */
  ConnectionCore accept(ConnectionOutput output, long nowNanos);

  /** The settings the port serves with (TLS, keepalive, write limit). */
  HeartbeatConfig settings();
}
