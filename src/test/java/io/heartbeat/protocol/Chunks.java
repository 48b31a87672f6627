package io.heartbeat.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Feeds a byte stream to a decoder the way a socket might deliver it: in chunks. */
final class Chunks {

  private Chunks() {
  }

  /** Feeds {@code stream} in chunks of {@code size} bytes (the last may be shorter). */
  static void feedEvery(FrameDecoder decoder, byte[] stream, int size) {
    for (int off = 0; off < stream.length; off += size) {
      feed(decoder, stream, off, Math.min(size, stream.length - off));
    }
  }

  /**
   * Feeds {@code stream} in chunks whose sizes are taken from {@code sizes} in turn, cycling;
   * an empty {@code sizes} feeds the whole stream at once. Sizes below 1 count as 1.
   */
  static void feedCycling(FrameDecoder decoder, byte[] stream, int[] sizes) {
    if (sizes.length == 0) {
      feed(decoder, stream, 0, stream.length);
      return;
    }
    int off = 0;
    for (int i = 0; off < stream.length; i++) {
      int size = Math.min(Math.max(1, sizes[i % sizes.length]), stream.length - off);
      feed(decoder, stream, off, size);
      off += size;
    }
  }

  /**
   * Feeds one chunk and checks the decoder's promise to consume every readable byte. The chunk is
   * a view into {@code stream}, so a decoder reading past the chunk's end would be caught.
   */
  static void feed(FrameDecoder decoder, byte[] stream, int off, int len) {
    ByteBuf chunk = Unpooled.wrappedBuffer(stream, off, len);
    decoder.decode(chunk);
    if (chunk.isReadable()) {
      throw new AssertionError("decoder left " + chunk.readableBytes() + " of " + len
          + " bytes unread in the chunk at offset " + off);
    }
  }
}
