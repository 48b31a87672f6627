package io.heartbeat.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Writes frames and raw headers as bytes without the production encoder, so decoder tests do
 * not depend on the code they check.
 */
final class FrameBytes {

  private FrameBytes() {
  }

  static byte[] header(ByteOrder order, int type, int length) {
    return ByteBuffer.allocate(8).order(order).putInt(type).putInt(length).array();
  }

  static byte[] frame(ByteOrder order, int type, byte[] payload) {
    return ByteBuffer.allocate(8 + payload.length).order(order)
        .putInt(type).putInt(payload.length).put(payload).array();
  }

  static byte[] frames(ByteOrder order, List<DecoderEvent.Frame> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (DecoderEvent.Frame f : frames) {
      out.writeBytes(frame(order, f.type(), f.payload()));
    }
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
