package io.heartbeat.bus;

import io.vertx.core.json.JsonObject;

/**
 * Builders for the JSON events published to the application. Field names are part of the
 * service's interface (documented in docs/EMBEDDING.md).
 */
public final class LifecycleEvents {

  /** Close reason: silent for maxMissed ticks. GOODBYE "timeout" is sent first. */
  public static final String TIMEOUT = "timeout";
  /** Close reason: illegal frame. Nothing is sent back. */
  public static final String PROTOCOL_ERROR = "protocol-error";
  /** Close reason: the peer closed the connection. */
  public static final String PEER_CLOSED = "peer-closed";
  /** Close reason: a socket error (reset, broken pipe, kernel keepalive timeout). */
  public static final String IO_ERROR = "io-error";
  /** Close reason: the application kicked the connection. GOODBYE "kicked" is sent first. */
  public static final String KICKED = "kicked";
  /** Close reason: the server is shutting down. GOODBYE "shutdown" is sent first. */
  public static final String SHUTDOWN = "shutdown";

  /** Close reason: the peer stopped reading and its write queue stayed full for a tick. */
  public static final String SLOW_CONSUMER = "slow-consumer";
  /** Close reason: no complete legal frame within firstFrameTimeoutMs of accept. */
  public static final String FIRST_FRAME_TIMEOUT = "first-frame-timeout";
  /**
   * Close reason (clustered): the I/O node holding the connection left the cluster (crash, kill,
   * partition). Published by the monitor that tracked the connection, not by its owner, so
   * remoteAddress is null and openForMs is -1 (unknown); sinceLastFrameMs is at least
   * missedTicks x tickMs.
   */
  public static final String NODE_LOST = "node-lost";
  /**
   * Close reason (sessions): another connection opened a session with the same client id.
   * GOODBYE "replaced" is sent first.
   */
  public static final String REPLACED = "replaced";
  /**
   * Close reason (sessions): the credential did not verify, or the server requires a HELLO and
   * the first frame was something else. GOODBYE "unauthorized" is sent first.
   */
  public static final String UNAUTHORIZED = "unauthorized";
  /** Close reason (sessions): the client id reconnects too often. GOODBYE "flapping" first. */
  public static final String FLAPPING = "flapping";
  /** Close reason (sessions): a connection limit refused the session. GOODBYE "limit" first. */
  public static final String LIMIT = "limit";

  private LifecycleEvents() {
  }

  /**
   * {@code {"id", "remoteAddress", "localAddress", "openedAt"}}; openedAt in epoch ms.
   */
  public static JsonObject opened(long id, String remoteAddress, String localAddress,
      long openedAtEpochMs) {
    return new JsonObject().put("id", id).put("remoteAddress", remoteAddress)
        .put("localAddress", localAddress).put("openedAt", openedAtEpochMs);
  }

  /**
   * {@code {"id", "remoteAddress", "reason", "sinceLastFrameMs", "missedTicks", "openForMs"}}:
   * missedTicks is the counter at close (maxMissed for a timeout; otherwise whole ticks of
   * silence), sinceLastFrameMs the time since the last complete frame (or since accept).
   */
  public static JsonObject closed(long id, String remoteAddress, String reason,
      long sinceLastFrameMs, int missedTicks, long openForMs) {
    return new JsonObject().put("id", id).put("remoteAddress", remoteAddress)
        .put("reason", reason).put("sinceLastFrameMs", sinceLastFrameMs)
        .put("missedTicks", missedTicks).put("openForMs", openForMs);
  }

  /**
   * {@code {"id", "type", "payload"}}: type is "DATA" or "HEARTBEAT", payload Base64.
   */
  public static JsonObject data(long id, String type, byte[] payload) {
    return new JsonObject().put("id", id).put("type", type).put("payload", Payloads.encode(payload));
  }

  /** Adds {@code "clientId"} to an event of a session connection (no-op for null). */
  public static JsonObject withClientId(JsonObject event, String clientId) {
    return clientId == null ? event : event.put("clientId", clientId);
  }

  /**
   * Presence: {@code {"clientId", "connectionId", "node", "intervalMs"}}, published on
   * {@link Addresses#CLIENT_ONLINE} when a client id gets its first connection (not on a
   * takeover).
   */
  public static JsonObject online(String clientId, long connectionId, int node, long intervalMs) {
    return new JsonObject().put("clientId", clientId).put("connectionId", connectionId)
        .put("node", node).put("intervalMs", intervalMs);
  }

  /**
   * Presence: {@code {"clientId", "connectionId", "reason", "sinceLastFrameMs"}}, published on
   * {@link Addresses#CLIENT_OFFLINE} when the connection holding a client id closes (not when it
   * is replaced).
   */
  public static JsonObject offline(String clientId, long connectionId, String reason,
      long sinceLastFrameMs) {
    return new JsonObject().put("clientId", clientId).put("connectionId", connectionId)
        .put("reason", reason).put("sinceLastFrameMs", sinceLastFrameMs);
  }
}
