package io.heartbeat.protocol;

/**
 * Frame type codes of protocol versions 1.0 and 1.1 and their names.
 *
 * <p>Codes are plain {@code int}s on the hot path (no enum lookup per frame); {@link #name(int)}
 * gives the name for logs and events.
 */
public final class FrameType {

  /** "I am alive"; sent by clients, and by the server when it probes. Payload optional. */
  public static final int HEARTBEAT = 0;
  /** Business data, either direction. */
  public static final int DATA = 1;
  /** Reply to a HEARTBEAT; payload optional (business data riding on the ack). */
  public static final int HEARTBEAT_ACK = 2;
  /** The sender is about to close; payload is a UTF-8 reason. */
  public static final int GOODBYE = 3;
  /**
   * Protocol 1.1, client to server, first frame only: opens a session ({@link Hello}). Where it
   * may appear is the connection's rule, not the decoder's.
   */
  public static final int HELLO = 4;
  /** Protocol 1.1, server to client: the session is open ({@link Welcome}). */
  public static final int WELCOME = 5;

  private static final String[] NAMES = {"HEARTBEAT", "DATA", "HEARTBEAT_ACK", "GOODBYE",
      "HELLO", "WELCOME"};

  private FrameType() {
  }

  /**
   * Whether {@code type} is a code of protocol 1.0 or 1.1 (0..5). Whether a session frame may be
   * sent in a given direction and place is decided by the receiver (a HELLO only first and only
   * to the server, a WELCOME only to a client).
   */
  public static boolean isLegal(int type) {
    return type >= HEARTBEAT && type <= WELCOME;
  }

  /** Whether {@code type} is HELLO or WELCOME, whose payloads have their own size rule. */
  public static boolean isSession(int type) {
    return type == HELLO || type == WELCOME;
  }

  /** The protocol name of a code of version 1 or 1.1, or {@code "UNKNOWN(<code>)"}. */
  public static String name(int type) {
    return type >= HEARTBEAT && type <= WELCOME ? NAMES[type] : "UNKNOWN(" + type + ")";
  }
}
