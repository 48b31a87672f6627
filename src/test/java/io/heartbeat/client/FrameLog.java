package io.heartbeat.client;

import io.heartbeat.protocol.FrameDecoder;
import io.heartbeat.protocol.FrameHandler;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.IllegalFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helper: decodes what a hand-made server receives with the production codec. */
final class FrameLog implements FrameHandler {

  private final FrameDecoder decoder = new FrameDecoder(ByteOrder.LITTLE_ENDIAN, 65536, this);
  private final int[] counts = new int[4];
  private final List<String> goodbyes = new ArrayList<>();

  void feed(Buffer bytes) {
    decoder.decode(Unpooled.wrappedBuffer(bytes.getBytes()));
  }

  int count(int type) {
    return counts[type];
  }

  List<String> goodbyes() {
    return goodbyes;
  }

  @Override
  public void onFrame(int type, ByteBuf payload) {
    counts[type]++;
    if (type == FrameType.GOODBYE) {
      goodbyes.add(payload.toString(StandardCharsets.UTF_8));
    }
  }

  @Override
  public void onIllegalFrame(IllegalFrameException verdict) {
    throw new AssertionError("client sent an illegal frame: " + verdict.getMessage());
  }
}
