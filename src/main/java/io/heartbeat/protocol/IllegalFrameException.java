package io.heartbeat.protocol;

/**
 * An illegal frame header: unknown type, negative length, or length above the maximum.
 *
 * <p>Carries the offending values so a log line can name them. It has no stack trace: it is a
 * verdict on the peer's bytes, not a bug in this process, and hostile input must not be able to
 * make the server spend time filling stack traces.
 */
public final class IllegalFrameException extends Exception {

  /** Why a header is illegal. {@link #code()} is the short form used in logs and events. */
  public enum Reason {
    /** The type is not 0..3. */
    UNKNOWN_TYPE("unknown-type"),
    /** The length is below zero. */
    NEGATIVE_LENGTH("negative-length"),
    /** The length is above the configured maximum payload. */
    LENGTH_TOO_LARGE("length-too-large");

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

  /** Builds the verdict for a header with the given fields. */
  public IllegalFrameException(Reason reason, int type, int length, int maxPayloadBytes) {
    super(null, null, false, false);
    this.reason = reason;
    this.type = type;
    this.length = length;
    this.maxPayloadBytes = maxPayloadBytes;
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
        return "unknown frame type " + type + " (legal: 0..3)";
      case NEGATIVE_LENGTH:
        return "negative payload length " + length;
      default:
        return "payload length " + length + " above the maximum of " + maxPayloadBytes + " bytes";
    }
  }
}
