package io.heartbeat.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

/**
 * One I/O instance's reusable view for decoding what a {@code NetSocket} read: the bytes of a
 * Vert.x {@link Buffer} are copied into one array, so feeding a connection core costs no object
 * per read. Decoders never keep their input (payloads they hold are copies), so the array is
 * free again when a read has been decoded. Confined to the instance's event loop.
 */
final class ReadScratch {

  private static final int BYTES = 64 * 1024;

  private final byte[] array = new byte[BYTES];
  private final ByteBuf view = Unpooled.wrappedBuffer(array);

  /**
   * Feeds {@code read} to {@code core} in scratch-sized pieces, all read at {@code nowNanos},
   * then tells it the read is complete (its acks go out).
   */
  void feed(Buffer read, ConnectionCore core, long nowNanos) {
    int length = read.length();
    for (int from = 0; from < length; from += BYTES) {
      int to = Math.min(length, from + BYTES);
      read.getBytes(from, to, array, 0);
      view.setIndex(0, to - from);
      core.onBytes(view, nowNanos);
    }
    core.onReadComplete();
  }
}
