package io.heartbeat.conformance;

import io.vertx.core.json.JsonObject;

/**
 * One client implementation under the conformance kit: started towards a port with a
 * scenario's client options, it reports its events to an {@link EventLog} as the shared event
 * lines ({@code connected}, {@code ack}, {@code goodbye reason=...}, ...).
 */
interface ClientDriver extends AutoCloseable {

  /** Short name for the pass table. */
  String name();

  /**
   * Starts the client. Options: intervalMs, serverTimeoutMs, bigEndian, dataEveryMs,
   * reconnectInitialMs, reconnectMaxMs; for a session (protocol 1.1) clientId,
   * requestedIntervalMs (what the HELLO asks for, 0 = the server's tick) and token.
   */
  void start(int port, JsonObject options, EventLog log) throws Exception;

  /** Stops the client and releases everything it holds. */
  @Override
  void close();
}
