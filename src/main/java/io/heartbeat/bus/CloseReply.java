package io.heartbeat.bus;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * The owner's answer to a {@link CloseCommand}: which connections it closed, which it refused
 * because it saw a frame within the window (with how long ago, so the monitor can put the
 * connection back on its own timeline), and which it does not hold (already closed).
 *
 * <p>On the bus it is a Buffer: the closed ids, the refused ids, their silences in ms (4-byte
 * ints) and the unknown ids, each a 4-byte count followed by its elements.
 *
 * @param closed closed now for timeout
 * @param refused not closed: a frame arrived within the window
 * @param refusedIdleMs for each refused id (same index), ms since its last frame
 * @param unknown not open on the instance (closed meanwhile, or never its own)
 */
public record CloseReply(long[] closed, long[] refused, int[] refusedIdleMs, long[] unknown) {

  /** The message body. */
  public Buffer toBuffer() {
    Buffer out = Buffer.buffer(IdArrays.bytes(closed.length, 8) + IdArrays.bytes(refused.length, 8)
        + IdArrays.bytes(refusedIdleMs.length, 4) + IdArrays.bytes(unknown.length, 8));
    IdArrays.append(out, closed);
    IdArrays.append(out, refused);
    IdArrays.appendInts(out, refusedIdleMs);
    IdArrays.append(out, unknown);
    return out;
  }

  /**
   * Reads a message body.
   *
   * @throws IllegalArgumentException if the buffer is not a close reply
   */
  public static CloseReply fromBuffer(Buffer body) {
    long[] closed = IdArrays.read(body, 0, "close reply");
    int pos = IdArrays.bytes(closed.length, 8);
    long[] refused = IdArrays.read(body, pos, "close reply");
    pos += IdArrays.bytes(refused.length, 8);
    int[] idle = IdArrays.readInts(body, pos, "close reply");
    pos += IdArrays.bytes(idle.length, 4);
    long[] unknown = IdArrays.read(body, pos, "close reply");
    if (idle.length != refused.length) {
      throw new IllegalArgumentException("close reply: " + refused.length + " refused ids but "
          + idle.length + " silences");
    }
    return new CloseReply(closed, refused, idle, unknown);
  }

  /** Collects a reply; one per close command, on the owner's event loop. */
  public static final class Builder {
    private long[] closed;
    private int closedCount;
    private long[] refused;
    private int[] refusedIdleMs;
    private int refusedCount;
    private long[] unknown;
    private int unknownCount;

    /** @param expected the number of ids in the command (the most any list can hold) */
    public Builder(int expected) {
      closed = new long[expected];
      refused = new long[expected];
      refusedIdleMs = new int[expected];
      unknown = new long[expected];
    }

    public Builder closed(long id) {
      closed[closedCount++] = id;
      return this;
    }

    /** {@code idleMs} is clamped to 0..Integer.MAX_VALUE. */
    public Builder refused(long id, long idleMs) {
      refused[refusedCount] = id;
      refusedIdleMs[refusedCount++] = (int) Math.max(0, Math.min(Integer.MAX_VALUE, idleMs));
      return this;
    }

    public Builder unknown(long id) {
      unknown[unknownCount++] = id;
      return this;
    }

    public CloseReply build() {
      return new CloseReply(Arrays.copyOf(closed, closedCount), Arrays.copyOf(refused, refusedCount),
          Arrays.copyOf(refusedIdleMs, refusedCount), Arrays.copyOf(unknown, unknownCount));
    }
  }
}
