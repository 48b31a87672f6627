package io.heartbeat.server;

import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.protocol.FrameEncoder;
import io.heartbeat.protocol.FrameType;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The run-time switches every {@link ConnectionCore} of one I/O instance follows, read on each
 * frame: plain fields, replaced in place on the instance's event loop when the settings change;
 * and the session rules fixed at start (byte order, token limit, whether a HELLO is required).
 */
final class CorePolicy {

  boolean ackHeartbeats;
  boolean dataCountsAsActivity;
  boolean logHeartbeats;
  final ByteOrder byteOrder;
  final int maxTokenBytes;
  /** auth.mode jwt or session.required: the first frame must be a HELLO. */
  final boolean sessionRequired;
  /** The whole GOODBYE "unauthorized" frame. */
  final byte[] unauthorizedGoodbye;

  CorePolicy(HeartbeatConfig config) {
    byteOrder = config.byteOrder();
    maxTokenBytes = config.authMaxTokenBytes();
    sessionRequired = config.authJwt() || config.sessionRequired();
    unauthorizedGoodbye = new FrameEncoder(byteOrder).frameBytes(FrameType.GOODBYE,
        LifecycleEvents.UNAUTHORIZED.getBytes(StandardCharsets.UTF_8));
    apply(config);
  }

  void apply(HeartbeatConfig config) {
    ackHeartbeats = config.ackHeartbeats();
    dataCountsAsActivity = config.dataCountsAsActivity();
    logHeartbeats = config.logHeartbeats();
  }
}
