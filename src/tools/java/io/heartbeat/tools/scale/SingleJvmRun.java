package io.heartbeat.tools.scale;

import io.heartbeat.bus.ActivityBatch;
import io.heartbeat.monitor.LivenessTable;
import io.heartbeat.monitor.TickGuard;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;

/**
 * One size in one JVM: a {@link LivenessTable} of {@code size} connections aged tick by tick on a
 * simulated clock (so a run of twenty 3-second ticks takes seconds), fed the real activity
 * batches of a {@link SyntheticFleet}, exactly as {@code MonitorVerticle} feeds it (the same
 * decode loop, the same {@link TickGuard}). Costs are real: wall time of each sweep, CPU time of
 * the monitor's thread, heap after a full GC, GC pauses while the ticks run. Then the rebuilds:
 * a restarted monitor taking the whole table from snapshots, and the share of one of three
 * monitors taken over by the other two ({@link ShareRebuild}).
 */
final class SingleJvmRun {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final ModelSettings settings;
  private final GcPauses gc;

  SingleJvmRun(ModelSettings settings, GcPauses gc) {
    this.settings = settings;
    this.gc = gc;
  }

  Figures run(int size) throws Exception {
    long tickNanos = settings.tickNanos();
    SyntheticFleet fleet = new SyntheticFleet(size, settings.ioKeys(), settings.tickMs(),
        settings.silentPerTick());
    long baseBytes = Heap.usedAfterGc();
    GcPauses.Recording whole = gc.record();
    long t0 = 1_000_000_000_000L;
    LivenessTable table = newTable(t0);
    for (int i = 0; i < size; i++) {
      table.opened(fleet.id(i));
    }
    long filledBytes = Heap.usedAfterGc() - baseBytes;
    TickGuard guard = new TickGuard(tickNanos);
    int ticks = settings.warmupTicks() + settings.ticks();
    double[] sweepMs = new double[settings.ticks()];
    double[] sweepCpuMs = new double[settings.ticks()];
    double[] applyMs = new double[settings.ticks()];
    long cpuNanos = 0;
    long heartbeats = 0;
    long batchBytes = 0;
    long batchMessages = 0;
    long closes = 0;
    GcPauses.Recording steady = null;
    long probes = 0;
    for (int k = 1; k <= ticks; k++) {
      boolean measured = k > settings.warmupTicks();
      if (k == settings.warmupTicks() + 1) {
        steady = gc.record();
      }
      long now = t0 + k * tickNanos;
      long cpu0 = THREADS.getCurrentThreadCpuTime();
      long wall0 = System.nanoTime();
      if (guard.onTimer(now) != TickGuard.Decision.AGE) {
        throw new IllegalStateException("a simulated tick was not an aging tick");
      }
      LivenessTable.SweepResult result = table.sweep(now);
      long sweepNanos = System.nanoTime() - wall0;
      long sweepCpuNanos = THREADS.getCurrentThreadCpuTime() - cpu0;
      int closed = closeConfirmed(table, fleet, result.closeByOwner());
      long cpuMonitor = THREADS.getCurrentThreadCpuTime() - cpu0;
      fleet.silenceSome();
      long flush = now + tickNanos / 2;
      Buffer[] batches = fleet.activityBatches();
      cpu0 = THREADS.getCurrentThreadCpuTime();
      wall0 = System.nanoTime();
      int applied = 0;
      for (Buffer batch : batches) {
        applied += apply(table, batch, flush);
      }
      long applyNanos = System.nanoTime() - wall0;
      cpuMonitor += THREADS.getCurrentThreadCpuTime() - cpu0;
      if (measured) {
        int m = k - settings.warmupTicks() - 1;
        sweepMs[m] = sweepNanos / 1e6;
        sweepCpuMs[m] = sweepCpuNanos / 1e6;
        applyMs[m] = applyNanos / 1e6;
        cpuNanos += cpuMonitor;
        heartbeats += applied;
        closes += closed;
        probes += count(result.probeByOwner());
        for (Buffer batch : batches) {
          batchBytes += batch.length();
          batchMessages++;
        }
      }
    }
    long[] pauses = steady.stop();
    long steadyBytes = Heap.usedAfterGc() - baseBytes;
    int n = settings.ticks();
    Figures f = new Figures().put("connections", size)
        .put("sweep ms p50", Percentiles.of(sweepMs.clone(), 50))
        .put("sweep ms p99", Percentiles.of(sweepMs.clone(), 99))
        .put("sweep ms max", Percentiles.max(sweepMs))
        .put("sweep CPU ms p50", Percentiles.of(sweepCpuMs.clone(), 50))
        .put("sweep CPU ms p99", Percentiles.of(sweepCpuMs.clone(), 99))
        .put("activity apply ms p50", Percentiles.of(applyMs.clone(), 50))
        .put("monitor heap B/conn", (double) Math.max(filledBytes, steadyBytes) / size)
        .put("batch bytes/tick", (double) batchBytes / n)
        .put("batch messages/tick", (double) batchMessages / n)
        .put("CPU ms/1k heartbeats", cpuNanos / 1e6 / heartbeats * 1000)
        .put("monitor CPU % of a core", cpuNanos / 1e6 / n / settings.tickMs() * 100)
        .put("closes/tick", (double) closes / n)
        .put("probes/tick", (double) probes / n)
        .put("GC pauses (ticks)", pauses.length)
        .put("GC pause ms p99 (ticks)", Percentiles.of(pauses, 99))
        .put("GC pause ms max (ticks)", Percentiles.max(pauses));
    long now = t0 + (ticks + 1) * tickNanos;
    table = null;
    Heap.usedAfterGc();
    fullRebuild(fleet, now, f);
    new ShareRebuild(settings).run(fleet, now, f);
    long[] all = whole.stop();
    f.put("GC pauses (whole run)", all.length)
        .put("GC pause ms p99 (whole run)", Percentiles.of(all, 99))
        .put("GC pause ms max (whole run)", Percentiles.max(all));
    return f;
  }

  private LivenessTable newTable(long nowNanos) {
    LivenessTable table = new LivenessTable(settings.maxMissed(), settings.tickNanos(), nowNanos);
    table.configure(settings.maxMissed(), settings.tickNanos(), true, settings.probeEnabled(),
        2);
    return table;
  }

  /** A restarted monitor: an empty table, then every instance's resync snapshot. */
  private void fullRebuild(SyntheticFleet fleet, long now, Figures f) {
    long silentAgeMs = (settings.maxMissed() - 1) * settings.tickMs();
    long start = System.nanoTime();
    Buffer[] snapshots = new Buffer[fleet.instances()];
    for (int k = 0; k < snapshots.length; k++) {
      snapshots[k] = fleet.snapshot(k, silentAgeMs);
    }
    long encoded = System.nanoTime();
    LivenessTable fresh = newTable(now);
    for (Buffer snapshot : snapshots) {
      apply(fresh, snapshot, now);
    }
    long done = System.nanoTime();
    if (fresh.size() != fleet.size()) {
      throw new IllegalStateException("rebuilt " + fresh.size() + " of " + fleet.size());
    }
    f.put("restart rebuild ms (snapshots)", (encoded - start) / 1e6)
        .put("restart rebuild ms (apply)", (done - encoded) / 1e6);
  }

  /** MonitorVerticle.onActivity's loop (one process: every id is tracked). */
  static int apply(LivenessTable table, Buffer batch, long nowNanos) {
    int n = ActivityBatch.size(batch);
    for (int i = 0; i < n; i++) {
      table.activity(ActivityBatch.idAt(batch, i), nowNanos - ActivityBatch.ageMsAt(batch, i)
          * 1_000_000L);
    }
    return n;
  }

  /**
   * The owners close what the sweep proposed (their CONNECTION_CLOSED events remove it from the
   * table) and new devices connect in the freed slots (CONNECTION_OPENED).
   */
  private static int closeConfirmed(LivenessTable table, SyntheticFleet fleet,
      Map<Integer, List<Long>> due) {
    int closed = 0;
    for (List<Long> ids : due.values()) {
      for (long id : ids) {
        int slot = fleet.slotOf(id);
        if (slot >= 0) {
          table.removed(id);
          table.opened(fleet.replace(slot));
          closed++;
        }
      }
    }
    return closed;
  }

  private static int count(Map<Integer, List<Long>> byOwner) {
    int n = 0;
    for (List<Long> ids : byOwner.values()) {
      n += ids.size();
    }
    return n;
  }
}
