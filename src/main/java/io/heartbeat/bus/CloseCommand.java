package io.heartbeat.bus;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Monitor to owning I/O instance, on {@link Addresses#ioClose(int)}, request/reply: close these
 * connections for timeout unless the owner saw a frame from one within the window (then it
 * refuses that one). Answered with a {@link CloseReply}.
 *
 * <p>On the bus it is a Buffer: a 4-byte count and 8 bytes per id.
 *
 * @param ids the connections the monitor judged dead, all owned by the addressed instance
 */
public record CloseCommand(long[] ids) {

  /** From the monitor's per-owner list. */
  public static CloseCommand of(List<Long> ids) {
    return new CloseCommand(IdArrays.of(ids));
  }

  /** The message body. */
  public Buffer toBuffer() {
    return IdArrays.toBuffer(ids);
  }

  /**
   * Reads a message body.
   *
   * @throws IllegalArgumentException if the buffer is not a close command
   */
  public static CloseCommand fromBuffer(Buffer body) {
    return new CloseCommand(IdArrays.read(body, 0, "close command"));
  }
}
