package io.heartbeat.metrics;

import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.protocol.IllegalFrameException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * Heartbeat's own meters, named in one place (Prometheus names in brackets):
 * <ul>
 *   <li>{@code heartbeat.connections.open} [heartbeat_connections_open] gauge</li>
 *   <li>{@code heartbeat.connections.opened} [heartbeat_connections_opened_total]</li>
 *   <li>{@code heartbeat.connections.rejected} [heartbeat_connections_rejected_total]: closed at
 *       accept by maxConnections or maxConnectionsPerIp</li>
 *   <li>{@code heartbeat.connections.closed} [heartbeat_connections_closed_total{reason}]: every
 *       close reason of {@link IoStats#CLOSE_REASONS}, plus node-lost (counted by the monitor's
 *       node through {@link #countNodeLost()})</li>
 *   <li>{@code heartbeat.heartbeats.received} [heartbeat_heartbeats_received_total]</li>
 *   <li>{@code heartbeat.acks.sent} [heartbeat_acks_sent_total]</li>
 *   <li>{@code heartbeat.probes.sent} [heartbeat_probes_sent_total]</li>
 *   <li>{@code heartbeat.data.received} [heartbeat_data_received_total]</li>
 *   <li>{@code heartbeat.protocol.errors} [heartbeat_protocol_errors_total{reason}]</li>
 *   <li>{@code heartbeat.detection.delay} [heartbeat_detection_delay_seconds histogram]: last
 *       frame to close, for timeouts</li>
 *   <li>{@code heartbeat.monitor.tick.duration} [heartbeat_monitor_tick_duration_seconds]</li>
 *   <li>{@code heartbeat.monitor.tick.lateness} [heartbeat_monitor_tick_lateness_seconds]: how
 *       late each timer callback ran (the server's own stalls)</li>
 *   <li>{@code heartbeat.monitor.stalls} [heartbeat_monitor_stalls_total]</li>
 *   <li>{@code heartbeat.monitor.tracked} [heartbeat_monitor_tracked_connections] gauge</li>
 *   <li>{@code heartbeat.activity.batch.size} [heartbeat_activity_batch_size_connections] summary</li>
 * </ul>
 * The process meters (JVM, GC, threads, CPU, open files, build info, connection limit) are
 * {@link ProcessMeters}.
 *
 * <p>Per-frame counts live in each I/O instance's {@link IoStats} and are summed at scrape time,
 * so the heartbeat path does no atomic operation for metrics. Thread-safe.
 */
public final class HeartbeatMetrics {

  private final MeterRegistry registry;
  private final List<IoStats> instances = new CopyOnWriteArrayList<>();
  private final Timer detectionDelay;
  private final Timer tickDuration;
  private final Timer tickLateness;
  private final DistributionSummary batchSize;
  private final io.micrometer.core.instrument.Counter stalls;
  private final LongAdder nodeLost = new LongAdder();
  private volatile long lastTickNanos;
  private volatile long tickPeriodNanos;
  private volatile int tracked;

  /** Meters in {@code registry} (use {@link #standalone()} when there is none). */
  public HeartbeatMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("heartbeat.connections.open", this, m -> sum(IoStats::open))
        .description("Connections open now").register(registry);
    counter("heartbeat.connections.opened", "Connections accepted", IoStats::opened);
    counter("heartbeat.connections.rejected", "Connections closed at accept by a limit",
        IoStats::rejected);
    for (int i = 0; i < IoStats.CLOSE_REASONS.size(); i++) {
      int index = i;
      FunctionCounter.builder("heartbeat.connections.closed", this, m -> sum(s -> s.closes(index)))
          .tag("reason", IoStats.CLOSE_REASONS.get(i)).description("Connections closed, by reason")
          .register(registry);
    }
    FunctionCounter.builder("heartbeat.connections.closed", nodeLost, LongAdder::sum)
        .tag("reason", LifecycleEvents.NODE_LOST).description("Connections closed, by reason")
        .register(registry);
    counter("heartbeat.heartbeats.received", "HEARTBEAT frames received", IoStats::heartbeats);
    counter("heartbeat.acks.sent", "HEARTBEAT_ACK frames sent", IoStats::acks);
    counter("heartbeat.probes.sent", "Server HEARTBEAT probes sent", IoStats::probes);
    counter("heartbeat.data.received", "DATA frames received", IoStats::dataFrames);
    for (IllegalFrameException.Reason reason : IllegalFrameException.Reason.values()) {
      FunctionCounter.builder("heartbeat.protocol.errors", this,
              m -> sum(s -> s.protocolErrors(reason.ordinal())))
          .tag("reason", reason.code()).description("Connections closed for illegal input")
          .register(registry);
    }
    Gauge.builder("heartbeat.sessions.open", this, m -> sum(IoStats::sessionsOpen))
        .baseUnit("sessions").description("Protocol 1.1 sessions open now").register(registry);
    counter("heartbeat.sessions.takeovers", "Sessions that took their client id over from an"
        + " older connection (sent GOODBYE replaced)", IoStats::takeovers);
    counter("heartbeat.sessions.flapping.refusals", "HELLOs refused because the client id"
        + " connects too often", IoStats::flappingRefusals);
    counter("heartbeat.sessions.data.before.welcome", "DATA dropped because it came before"
        + " WELCOME on an authenticated port", IoStats::dataBeforeWelcome);
    for (int i = 0; i < IoStats.AUTH_FAILURE_REASONS.size(); i++) {
      int index = i;
      FunctionCounter.builder("heartbeat.sessions.auth.failures", this,
              m -> sum(s -> s.authFailures(index)))
          .tag("reason", IoStats.AUTH_FAILURE_REASONS.get(i))
          .description("Credentials refused, by reason").register(registry);
    }
    FunctionCounter.builder("heartbeat.sessions.hello.errors", this,
            m -> sum(s -> s.protocolErrors(IllegalFrameException.Reason.MALFORMED_SESSION_FRAME
                .ordinal()) + s.protocolErrors(IllegalFrameException.Reason
                .MISPLACED_SESSION_FRAME.ordinal())))
        .description("Connections closed for a malformed or misplaced HELLO/WELCOME")
        .register(registry);
    detectionDelay = Timer.builder("heartbeat.detection.delay")
        .description("Time from a connection's last frame to its close, for timeouts")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
        .maximumExpectedValue(Duration.ofHours(1)).register(registry);
    tickDuration = Timer.builder("heartbeat.monitor.tick.duration")
        .description("Time one monitor sweep took").register(registry);
    tickLateness = Timer.builder("heartbeat.monitor.tick.lateness")
        .description("How late the monitor's timer ran (the server's own stalls)")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
    stalls = io.micrometer.core.instrument.Counter.builder("heartbeat.monitor.stalls")
        .description("Monitor ticks skipped because the server itself had stalled")
        .register(registry);
    Gauge.builder("heartbeat.monitor.tracked", this, m -> m.tracked).baseUnit("connections")
        .description("Connections the monitor tracks").register(registry);
    batchSize = DistributionSummary.builder("heartbeat.activity.batch.size")
        .baseUnit("connections")
        .description("Connections named in one activity batch").register(registry);
  }

  /** Metrics kept in a private in-memory registry (tests, embedding without Prometheus). */
  public static HeartbeatMetrics standalone() {
    return new HeartbeatMetrics(new SimpleMeterRegistry());
  }

  /** The registry the meters live in. */
  public MeterRegistry registry() {
    return registry;
  }

  /**
   * Counts an I/O instance's stats from now on. Instances are never removed, so the counters stay
   * monotonic after an instance is undeployed.
   */
  public void register(IoStats stats) {
    instances.add(stats);
  }

  public void detectionDelay(long millis) {
    detectionDelay.record(millis, TimeUnit.MILLISECONDS);
  }

  /** One monitor timer callback: how long it took and how late it ran. */
  public void monitorTick(long nowNanos, long durationNanos, long latenessNanos, int trackedNow) {
    lastTickNanos = nowNanos;
    tracked = trackedNow;
    tickDuration.record(durationNanos, TimeUnit.NANOSECONDS);
    tickLateness.record(Math.max(0, latenessNanos), TimeUnit.NANOSECONDS);
  }

  /**
   * The monitor (re)armed its timer with ticks of {@code tickNanos}: it counts as ticking from
   * now on, and as ticking while its last tick is at most two ticks old.
   */
  public void monitorStarted(long nowNanos, long tickNanos) {
    tickPeriodNanos = tickNanos;
    lastTickNanos = nowNanos;
  }

  /**
   * Whether the monitor of this process ticked within its last two ticks (readiness, and what a
   * cluster node announces); follows run-time changes of tickMs.
   */
  public boolean monitorTicking(long nowNanos) {
    long last = lastTickNanos;
    return last != 0 && nowNanos - last <= 2 * tickPeriodNanos;
  }

  /**
   * Nanoseconds since the monitor's last tick (or its start), or -1 when no monitor of this
   * process has started.
   */
  public long monitorTickAgeNanos(long nowNanos) {
    long last = lastTickNanos;
    return last == 0 ? -1 : Math.max(0, nowNanos - last);
  }

  /** The monitor's tick in nanoseconds (0 before it started). */
  public long monitorTickNanos() {
    return tickPeriodNanos;
  }

  /** A connection of a lost I/O node was reported closed (reason node-lost) by this node. */
  public void countNodeLost() {
    nodeLost.increment();
  }

  public void monitorStalled() {
    stalls.increment();
  }

  public void activityBatch(int entries) {
    batchSize.record(entries);
  }

  private void counter(String name, String description, ToDoubleFunction<IoStats> field) {
    FunctionCounter.builder(name, this, m -> sum(field)).description(description)
        .register(registry);
  }

  private double sum(ToDoubleFunction<IoStats> field) {
    double total = 0;
    for (IoStats s : instances) {
      total += field.applyAsDouble(s);
    }
    return total;
  }
}
