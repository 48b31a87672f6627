package io.heartbeat.server;

import io.heartbeat.bus.CloseCommand;
import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.bus.ProbeCommand;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.metrics.IoStats;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import java.util.function.Supplier;

/**
 * An I/O instance's handlers for the monitor's {@link CloseCommand} and {@link ProbeCommand}:
 * decode, let {@link TickChores} arbitrate with the current settings and the real clock, reply.
 */
final class MonitorCommands {

  private final TickChores chores;
  private final Supplier<HeartbeatConfig> config;
  private final GoodbyeFrames goodbyes;
  private final IoStats stats;

  MonitorCommands(TickChores chores, Supplier<HeartbeatConfig> config, GoodbyeFrames goodbyes,
      IoStats stats) {
    this.chores = chores;
    this.config = config;
    this.goodbyes = goodbyes;
    this.stats = stats;
  }

  void onClose(Message<Buffer> message) {
    HeartbeatConfig c = config.get();
    message.reply(chores.closeIfSilent(CloseCommand.fromBuffer(message.body()), System::nanoTime,
        c.tickMs() * 1_000_000, c.windowMs() * 1_000_000, c.maxMissed(),
        goodbyes.of(LifecycleEvents.TIMEOUT)).toBuffer());
  }

  void onProbe(Message<Buffer> message) {
    HeartbeatConfig c = config.get();
    long tickNanos = c.tickMs() * 1_000_000;
    // A tenth of a tick less, for timer jitter: a connection silent that long is silent enough.
    int sent = chores.probe(ProbeCommand.fromBuffer(message.body()), System.nanoTime(),
        c.probeAfterMissed() * tickNanos - tickNanos / 10);
    for (int i = 0; i < sent; i++) {
      stats.countProbe();
    }
  }
}
