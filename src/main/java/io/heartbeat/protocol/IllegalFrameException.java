package io.heartbeat.protocol;

/**
 * An illegal frame: an unknown type, a negative length or a length above the maximum in its
 * header, or (protocol 1.1) a session frame whose payload breaks a field rule.
 *
 * <p>Carries the offending values so a log line can name them. It has no stack trace: it is a
 * verdict on the peer's bytes, not a bug in this process, and hostile input must not be able to
 * make the server spend time filling stack traces.
 */
public final class IllegalFrameException extends Exception {

  /** Why a header is illegal. {@link #code()} is the short form used in logs and events. */
  public enum Reason {
    /** The type is not 0..5. */
    UNKNOWN_TYPE("unknown-type"),
    /** The length is below zero. */
    NEGATIVE_LENGTH("negative-length"),
    /** The length is above the configured maximum payload. */
    LENGTH_TOO_LARGE("length-too-large"),
    /** A HELLO or WELCOME payload that breaks a field rule of protocol 1.1 (see {@link Hello}). */
    MALFORMED_SESSION_FRAME("malformed-session-frame"),
    /**
     * A session frame where the protocol does not allow one: a HELLO that is not the first frame,
     * a second HELLO, a WELCOME sent by a client.
     */
    MISPLACED_SESSION_FRAME("misplaced-session-frame");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    /** Short, stable, lower-case code such as {@code unknown-type}. */
    public String code() {
      return code;
    }
  }

  private final Reason reason;
  private final int type;
  private final int length;
  private final int maxPayloadBytes;
  private final String detail;

  /** Builds the verdict for a header with the given fields. */
  public IllegalFrameException(Reason reason, int type, int length, int maxPayloadBytes) {
    super(null, null, false, false);
    this.reason = reason;
    this.type = type;
    this.length = length;
    this.maxPayloadBytes = maxPayloadBytes;
    this.detail = null;
  }

  /**
   * Builds the verdict on a session frame's payload ({@link Reason#MALFORMED_SESSION_FRAME}).
   *
   * @param detail which field rule was broken, with the value, for the log line
   */
  public static IllegalFrameException malformed(int type, int length, String detail) {
    return new IllegalFrameException(type, length, detail);
  }

  /**
   * Builds the verdict on a session frame in a place the protocol forbids
   * ({@link Reason#MISPLACED_SESSION_FRAME}).
   *
   * @param detail where it came, for the log line
   */
  public static IllegalFrameException misplaced(int type, int length, String detail) {
    return new IllegalFrameException(Reason.MISPLACED_SESSION_FRAME, type, length, detail);
  }

  private IllegalFrameException(int type, int length, String detail) {
    this(Reason.MALFORMED_SESSION_FRAME, type, length, detail);
  }

  private IllegalFrameException(Reason reason, int type, int length, String detail) {
    super(null, null, false, false);
    this.reason = reason;
    this.type = type;
    this.length = length;
    this.maxPayloadBytes = -1;
    this.detail = detail;
  }

  /** Which rule the header broke. */
  public Reason reason() {
    return reason;
  }

  /** The type field as received. */
  public int type() {
    return type;
  }

  /** The length field as received. */
  public int length() {
    return length;
  }

  @Override
  public String getMessage() {
    switch (reason) {
      case UNKNOWN_TYPE:
        return "unknown frame type " + type + " (legal: 0..5)";
      case NEGATIVE_LENGTH:
        return "negative payload length " + length;
      case MALFORMED_SESSION_FRAME:
        return "malformed " + FrameType.name(type) + " (" + length + " bytes): " + detail;
      case MISPLACED_SESSION_FRAME:
        return FrameType.name(type) + " not allowed here: " + detail;
      default:
        return "payload length " + length + " above the maximum of " + maxPayloadBytes + " bytes";
    }
  }
}
