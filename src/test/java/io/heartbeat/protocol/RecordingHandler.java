package io.heartbeat.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;

/** Test double: records every frame (payload copied) and verdict a decoder delivers, in order. */
final class RecordingHandler implements FrameHandler {

  private final List<DecoderEvent> events = new ArrayList<>();

  @Override
  public void onFrame(int type, ByteBuf payload) {
    events.add(new DecoderEvent.Frame(type, ByteBufUtil.getBytes(payload)));
  }

  @Override
  public void onIllegalFrame(IllegalFrameException verdict) {
    events.add(new DecoderEvent.Illegal(verdict.reason(), verdict.type(), verdict.length()));
  }

  /** Everything delivered so far, oldest first. */
  List<DecoderEvent> events() {
    return events;
  }

  /** How many verdicts were delivered. */
  long verdicts() {
    return events.stream().filter(e -> e instanceof DecoderEvent.Illegal).count();
  }
}
