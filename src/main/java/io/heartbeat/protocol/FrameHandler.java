package io.heartbeat.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Receives what a {@link FrameDecoder} finds in the byte stream. Called on the thread that
 * feeds the decoder.
 */
public interface FrameHandler {

  /**
   * A complete, legal frame.
   *
   * @param type one of the {@link FrameType} codes
   * @param payload the payload bytes; an empty buffer for a zero-length payload. Valid only for
   *     the duration of the call (it may be a view of the decoder's input): copy what you keep,
   *     and do not release it.
   */
  void onFrame(int type, ByteBuf payload);

  /**
   * An illegal header. The decoder has stopped: it ignores every later byte. Called at most once.
   */
  void onIllegalFrame(IllegalFrameException verdict);
}
