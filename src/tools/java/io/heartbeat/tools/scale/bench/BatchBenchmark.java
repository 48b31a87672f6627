package io.heartbeat.tools.scale.bench;

import io.heartbeat.bus.ActivityBatch;
import io.heartbeat.bus.ConnectionIds;
import io.heartbeat.cluster.MonitorRef;
import io.heartbeat.cluster.MonitorView;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-entry costs of an activity batch of {@value #ENTRIES} entries: encoding it (I/O side),
 * decoding it (monitor side) and choosing each entry's monitor among three (clustered routing,
 * MonitorView.ownerIndex, which ClusterActivityRouter calls per entry).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BatchBenchmark {

  static final int ENTRIES = 10_000;

  private final long[] ids = new long[ENTRIES];
  private Buffer batch;
  private MonitorView view;

  @Setup
  public void prepare() {
    batch = Buffer.buffer(ENTRIES * ActivityBatch.ENTRY_BYTES);
    for (int i = 0; i < ENTRIES; i++) {
      ids[i] = ConnectionIds.id(ConnectionIds.ioKey(1, 0), i);
      ActivityBatch.append(batch, ids[i], i % 3000);
    }
    view = new MonitorView(List.of(MonitorRef.of("1.0", 1), MonitorRef.of("2.0", 2),
        MonitorRef.of("3.0", 3)), Set.of(1, 2, 3));
  }

  @Benchmark
  @OperationsPerInvocation(ENTRIES)
  public Buffer encode() {
    Buffer out = Buffer.buffer(ENTRIES * ActivityBatch.ENTRY_BYTES);
    for (int i = 0; i < ENTRIES; i++) {
      ActivityBatch.append(out, ids[i], i % 3000);
    }
    return out;
  }

  @Benchmark
  @OperationsPerInvocation(ENTRIES)
  public long decode() {
    long sum = 0;
    int n = ActivityBatch.size(batch);
    for (int i = 0; i < n; i++) {
      sum += ActivityBatch.idAt(batch, i) + ActivityBatch.ageMsAt(batch, i);
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(ENTRIES)
  public int route() {
    int sum = 0;
    for (long id : ids) {
      sum += view.ownerIndex(id);
    }
    return sum;
  }
}
