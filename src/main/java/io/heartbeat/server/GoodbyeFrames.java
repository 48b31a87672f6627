package io.heartbeat.server;

import io.heartbeat.protocol.FrameEncoder;
import io.heartbeat.protocol.FrameType;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The GOODBYE frames of one I/O instance, encoded once per reason and shared by every
 * connection (a reason is one of a handful of constants). Confined to the instance's loop.
 */
final class GoodbyeFrames {

  private final FrameEncoder encoder;
  private final Map<String, byte[]> byReason = new HashMap<>();

  GoodbyeFrames(FrameEncoder encoder) {
    this.encoder = encoder;
  }

  /** The whole GOODBYE frame carrying {@code reason}. */
  byte[] of(String reason) {
    return byReason.computeIfAbsent(reason,
        r -> encoder.frameBytes(FrameType.GOODBYE, r.getBytes(StandardCharsets.UTF_8)));
  }
}
