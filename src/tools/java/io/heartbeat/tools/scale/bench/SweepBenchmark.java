package io.heartbeat.tools.scale.bench;

import io.heartbeat.bus.ConnectionIds;
import io.heartbeat.monitor.LivenessTable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One aging sweep over a table of {@code connections} (divide the time by it for the cost per
 * entry), and one tick's activity applied to it. maxMissed is set so high that no counter
 * reaches it during a run: every sweep ages every entry, the steady-state path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SweepBenchmark {

  private static final long TICK = 3_000_000_000L;

  @Param({"1000000"})
  int connections;

  private LivenessTable table;
  private long[] ids;
  private long now = 1_000_000_000_000L;

  @Setup
  public void fill() {
    table = new LivenessTable(10_000, TICK, now);
    ids = new long[connections];
    for (int i = 0; i < connections; i++) {
      ids[i] = ConnectionIds.id(ConnectionIds.ioKey(1 + i % 3, i % 2), i / 6);
      table.opened(ids[i]);
    }
  }

  /** Ages every counter once. */
  @Benchmark
  public int sweep() {
    now += TICK;
    return table.sweep(now).aged();
  }

  /** Every connection reports a frame (a full tick of activity). */
  @Benchmark
  public int activity() {
    long frame = now - TICK / 2;
    for (long id : ids) {
      table.activity(id, frame);
    }
    return table.size();
  }
}
