package io.heartbeat.bus;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Monitor to owning I/O instance, on {@link Addresses#ioProbe(int)}, one way: send each of these
 * connections a server HEARTBEAT (a probe), unless the owner heard from it lately.
 *
 * <p>On the bus it is a Buffer: a 4-byte count and 8 bytes per id. An empty one is also sent to
 * warm up a new instance's address (see io.heartbeat.cluster).
 *
 * @param ids the connections silent for probeAfterMissed ticks, all owned by the instance
 */
public record ProbeCommand(long[] ids) {

  /** From the monitor's per-owner list. */
  public static ProbeCommand of(List<Long> ids) {
    return new ProbeCommand(IdArrays.of(ids));
  }

  /** The message body. */
  public Buffer toBuffer() {
    return IdArrays.toBuffer(ids);
  }

  /**
   * Reads a message body.
   *
   * @throws IllegalArgumentException if the buffer is not a probe command
   */
  public static ProbeCommand fromBuffer(Buffer body) {
    return new ProbeCommand(IdArrays.read(body, 0, "probe command"));
  }
}
