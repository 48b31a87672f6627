package io.heartbeat.bus;

import io.vertx.core.json.JsonObject;

/**
 * Command messages (JSON) and their builders. Application commands go to
 * {@link Addresses#COMMAND}; monitor commands go to the owning instance's address.
 *
 * <ul>
 *   <li>{@code {"action":"send","id":N,"payload":B64}}: send a DATA frame.</li>
 *   <li>{@code {"action":"setAckPayload","id":N,"payload":B64}}: payload the connection's acks
 *       carry from now on; empty or absent clears it.</li>
 *   <li>{@code {"action":"kick","id":N}}: send GOODBYE "kicked" and close (reason kicked).</li>
 * </ul>
 * The monitor's close and probe batches are typed records on their own addresses:
 * {@link CloseCommand}, {@link CloseReply}, {@link ProbeCommand}.
 * Replies to application commands: {@code {"ok":true}}; failures carry code 404 (no such
 * connection) or 400 (malformed command) and a one-line message.
 */
public final class Commands {

  public static final String ACTION = "action";
  public static final String SEND = "send";
  public static final String SET_ACK_PAYLOAD = "setAckPayload";
  public static final String KICK = "kick";
  /**
   * Internal (sessions): {@code {"action":"replace","id":N}} sent by the I/O instance that opened
   * a newer session with the same client id: GOODBYE "replaced" and close (reason replaced).
   */
  public static final String REPLACE = "replace";
  /** Admin: lists one instance's connections; see {@link ConnectionListQuery}. */
  public static final String LIST = "list";
  /** Admin: {@code {"action":"describe","id":N}} one connection's details. */
  public static final String DESCRIBE = "describe";
  /** Admin: {@code {"action":"drain"}} graceful drain of one instance; replies when done. */
  public static final String DRAIN = "drain";
  /** Admin: {@code {"action":"undrain"}} ends a drain: the instance takes connections again. */
  public static final String UNDRAIN = "undrain";

  /** Failure code: no connection with that id. */
  public static final int NOT_FOUND = 404;
  /** Failure code: malformed command. */
  public static final int BAD_REQUEST = 400;

  private Commands() {
  }

  public static JsonObject send(long id, byte[] payload) {
    return new JsonObject().put(ACTION, SEND).put("id", id).put("payload", Payloads.encode(payload));
  }

  public static JsonObject setAckPayload(long id, byte[] payload) {
    return new JsonObject().put(ACTION, SET_ACK_PAYLOAD).put("id", id)
        .put("payload", Payloads.encode(payload));
  }

  public static JsonObject kick(long id) {
    return new JsonObject().put(ACTION, KICK).put("id", id);
  }

  public static JsonObject replace(long id) {
    return new JsonObject().put(ACTION, REPLACE).put("id", id);
  }
}
