package io.heartbeat.testing.scenario;

import static io.heartbeat.testing.scenario.Scenarios.await;
import static io.heartbeat.testing.scenario.Scenarios.header;
import static io.heartbeat.testing.scenario.Scenarios.mib;

import io.heartbeat.protocol.FrameType;
import io.heartbeat.testing.ServiceProcess;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Connection churn against the service in its own process: {@code perSecond} connections opened
 * and closed every second for {@code seconds}, in four styles taking turns (close at once; one
 * heartbeat, its ack, then close; reset with SO_LINGER 0; half a header, then close). Then the
 * service must hold nothing (registry and monitor table empty), and its open files and its heap
 * after a full GC must be back at the baseline measured after a warm-up churn; it must have
 * counted every connection the load made and refused none.
 */
public final class ChurnScenario {

  /** The scenario's sizes and timings (see the class comment). */
  public record Params(int perSecond, int seconds) {
  }

  /** Heap growth tolerated after the churn: 1% of the baseline, at least this much. */
  public static final long HEAP_SLACK_BYTES = 1024 * 1024;
  private static final long TICK_MS = 1000;
  private static final int MAX_IN_FLIGHT = 2_000;
  private static final long ACK_TIMEOUT_MS = 5_000;

  private ChurnScenario() {
  }

  public static Report run(Vertx vertx, Params p) throws Exception {
    Report report = new Report("churn: " + p.perSecond() + " connects and closes per second for "
        + p.seconds() + " s");
    try (ServiceProcess server = ServiceProcess.start("churn", Map.of(
        "HEARTBEAT_TICK_MS", String.valueOf(TICK_MS), "HEARTBEAT_MAX_MISSED", "5",
        "HEARTBEAT_IO_INSTANCES", "2"),
        List.of())) {
      LoopbackSources graceful = new LoopbackSources(vertx, "127.0.8.", 1, 20);
      LoopbackSources resetting = new LoopbackSources(vertx, "127.0.9.", 1, 10,
          new NetClientOptions().setConnectTimeout(30_000).setSoLinger(0));
      try {
        churn(vertx, server, graceful, resetting, p, report);
      } finally {
        await(Future.join(graceful.close(), resetting.close()));
      }
      report.check(server.errors().isEmpty(), "errors in the service's log: %s",
          server.errors());
    }
    return report;
  }

  private static void churn(Vertx vertx, ServiceProcess server, LoopbackSources graceful,
      LoopbackSources resetting, Params p, Report report) throws Exception {
    int port = server.port();
    // Warm-up churn: every path below runs before the baseline is taken.
    new Load(vertx, graceful, resetting, port, p.perSecond()).run(2);
    boolean warmEmpty = server.awaitEmpty(Duration.ofSeconds(60));
    Scenarios.pause(2 * TICK_MS);
    int filesBase = server.openFiles();
    long heapBase = server.heapAfterGc();
    double openedBase = server.metric("heartbeat_connections_opened_total");
    double rejectedBase = server.metric("heartbeat_connections_rejected_total");

    Load load = new Load(vertx, graceful, resetting, port, p.perSecond());
    long started = System.nanoTime();
    load.run(p.seconds());
    double seconds = (System.nanoTime() - started) / 1e9;
    boolean empty = server.awaitEmpty(Duration.ofSeconds(60));
    Map<String, Double> metrics = server.metrics();
    int filesAfter = server.openFiles();
    long heapAtEmpty = server.heapAfterGc();
    // Closed connections stay referenced from per-tick lists (activity, first-frame queue)
    // until the I/O instance's next tick: measure the heap once three ticks have passed.
    Scenarios.pause(3 * TICK_MS);
    long heapAfter = server.heapAfterGc();
    double opened = metrics.getOrDefault("heartbeat_connections_opened_total", 0.0) - openedBase;

    report.figure("%d connections opened and closed in %.1f s: %.0f per second (asked %d);"
            + " by style %s; skipped (over %d in flight) %d; failed %d", load.completed.sum(),
        seconds, load.completed.sum() / seconds, p.perSecond(), Arrays.toString(load.byStyle()),
        MAX_IN_FLIGHT, load.skipped.sum(), load.failed.sum());
    report.figure("service accepted %.0f; afterwards open %.0f, monitor tracks %.0f", opened,
        metrics.get("heartbeat_connections_open"), metrics.get("heartbeat_monitor_tracked_connections"));
    report.figure("service open files: baseline %d, after %d", filesBase, filesAfter);
    report.figure("service heap after GC: baseline %s; when empty %s; three ticks later %s (%+d"
        + " KiB)", mib(heapBase), mib(heapAtEmpty), mib(heapAfter), (heapAfter - heapBase) / 1024);
    report.check(warmEmpty && empty, "the service still holds connections after the churn");
    report.check(load.failed.sum() == 0, "%d connections failed", load.failed.sum());
    report.check(opened == load.completed.sum(), "the service counted %.0f connections opened,"
        + " the load made %d", opened, load.completed.sum());
    double rejected = metrics.getOrDefault("heartbeat_connections_rejected_total", 0.0)
        - rejectedBase;
    report.check(rejected == 0, "the service refused %.0f connections during the churn",
        rejected);
    report.check(filesAfter <= filesBase, "open files %d after, %d before", filesAfter,
        filesBase);
    report.check(heapAfter - heapBase <= Math.max(HEAP_SLACK_BYTES, heapBase / 100),
        "heap after GC grew from %s to %s", mib(heapBase), mib(heapAfter));
  }

  /** Opens {@code perSecond} connections a second, in slices of 10 ms, and closes each. */
  private static final class Load {
    private final Vertx vertx;
    private final LoopbackSources graceful;
    private final LoopbackSources resetting;
    private final int port;
    private final int perSecond;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder[] styles = {new LongAdder(), new LongAdder(), new LongAdder(),
        new LongAdder()};
    final LongAdder completed = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder skipped = new LongAdder();
    private long launched;

    Load(Vertx vertx, LoopbackSources graceful, LoopbackSources resetting, int port,
        int perSecond) {
      this.vertx = vertx;
      this.graceful = graceful;
      this.resetting = resetting;
      this.port = port;
      this.perSecond = perSecond;
    }

    long[] byStyle() {
      return Arrays.stream(styles).mapToLong(LongAdder::sum).toArray();
    }

    /** Runs for {@code seconds}, then waits for the connections still in flight. */
    void run(int seconds) {
      long slices = seconds * 100L;
      long[] slice = {0};
      Promise<Void> launchedAll = Promise.promise();
      long start = System.nanoTime();
      long timer = vertx.setPeriodic(10, t -> {
        // Catch up by elapsed time, so a late timer does not lower the rate.
        long due = Math.min(slices, (System.nanoTime() - start) / 10_000_000 + 1);
        for (; slice[0] < due; slice[0]++) {
          long target = (slice[0] + 1) * perSecond / 100;
          while (launched < target) {
            launch(launched++);
          }
        }
        if (slice[0] >= slices) {
          launchedAll.tryComplete();
        }
      });
      await(launchedAll.future());
      vertx.cancelTimer(timer);
      Promise<Void> drained = Promise.promise();
      long check = vertx.setPeriodic(20, t -> {
        if (inFlight.get() == 0) {
          drained.tryComplete();
        }
      });
      await(drained.future());
      vertx.cancelTimer(check);
    }

    private void launch(long n) {
      if (inFlight.get() >= MAX_IN_FLIGHT) {
        skipped.increment();
        return;
      }
      inFlight.incrementAndGet();
      int style = (int) (n % 4);
      Future<Void> done = (style == 2 ? resetting : graceful).connect(port)
          .compose(peer -> once(peer, style));
      done.onComplete(ar -> {
        if (ar.succeeded()) {
          completed.increment();
          styles[style].increment();
        } else {
          failed.increment();
        }
        inFlight.decrementAndGet();
      });
    }

    private static Future<Void> once(Peer peer, int style) {
      switch (style) {
        case 1:
          return peer.heartbeat().compose(v -> peer.receivedAtLeast(8))
              .timeout(ACK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
              .eventually(peer::close);
        case 3:
          return peer.raw(Buffer.buffer(Arrays.copyOf(header(FrameType.HEARTBEAT, 0), 4)))
              .compose(v -> peer.close());
        default:
          return peer.close();
      }
    }
  }
}
