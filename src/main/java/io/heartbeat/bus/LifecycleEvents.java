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
}
