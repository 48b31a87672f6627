package io.heartbeat.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteOrder;

/**
 * A WELCOME (protocol 1.1): the server's answer to an accepted HELLO. Payload, integers in the
 * connection's byte order: intervalMs (int32), closeAfterMs (int32), tickMs (int32),
 * connectionId (int64); {@value #PAYLOAD_BYTES} bytes, 28 on the wire.
 *
 * @param intervalMs heartbeat whenever nothing was sent for this long (the client must use it,
 *     not what it asked for)
 * @param closeAfterMs the server closes the connection between closeAfterMs and closeAfterMs +
 *     tickMs after its last complete frame
 * @param tickMs the server's tick
 * @param connectionId the server's id of the connection, for logs and support
 */
public record Welcome(int intervalMs, int closeAfterMs, int tickMs, long connectionId) {

  /** Payload size in bytes. */
  public static final int PAYLOAD_BYTES = 20;

  /** The payload in {@code order}. */
  public byte[] payload(ByteOrder order) {
    ByteBuf out = Unpooled.buffer(PAYLOAD_BYTES);
    if (order == ByteOrder.LITTLE_ENDIAN) {
      out.writeIntLE(intervalMs).writeIntLE(closeAfterMs).writeIntLE(tickMs)
          .writeLongLE(connectionId);
    } else {
      out.writeInt(intervalMs).writeInt(closeAfterMs).writeInt(tickMs).writeLong(connectionId);
    }
    return out.array();
  }

  /**
   * Reads a WELCOME payload (a client's side).
   *
   * @throws IllegalFrameException if it is not {@value #PAYLOAD_BYTES} bytes or a duration is
   *     not positive
   */
  public static Welcome decode(ByteBuf payload, ByteOrder order) throws IllegalFrameException {
    int length = payload.readableBytes();
    if (length != PAYLOAD_BYTES) {
      throw IllegalFrameException.malformed(FrameType.WELCOME, length,
          "length " + length + " is not " + PAYLOAD_BYTES);
    }
    int at = payload.readerIndex();
    boolean le = order == ByteOrder.LITTLE_ENDIAN;
    Welcome welcome = le
        ? new Welcome(payload.getIntLE(at), payload.getIntLE(at + 4), payload.getIntLE(at + 8),
            payload.getLongLE(at + 12))
        : new Welcome(payload.getInt(at), payload.getInt(at + 4), payload.getInt(at + 8),
            payload.getLong(at + 12));
    if (welcome.intervalMs <= 0 || welcome.closeAfterMs <= 0 || welcome.tickMs <= 0) {
      throw IllegalFrameException.malformed(FrameType.WELCOME, length,
          "durations must be positive: " + welcome);
    }
    return welcome;
  }
}
