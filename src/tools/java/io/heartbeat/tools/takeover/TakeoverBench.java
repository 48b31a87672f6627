package io.heartbeat.tools.takeover;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Session takeover latency (issue 11: "the old connection gets GOODBYE replaced and EOF within
 * 200 ms of the new WELCOME"), measured on real sockets against the real service in this JVM.
 * A benchmark, not a test: it prints figures and asserts nothing.
 *
 * <p>{@code single}: old and new session on one node. {@code cluster}: two clustered nodes (each
 * with its own I/O instances and monitor, Hazelcast on 127.0.0.1), old session on node 1, new
 * on node 2. For each client id: t0 = the new session's WELCOME arrives, t1 = the old one's
 * GOODBYE, t2 = the old one's EOF, all on the client side; t2 - t0 and t1 - t0 are reported as
 * they are (negative when the old session ended before the new WELCOME arrived).
 *
 * <p>Usage: {@code TakeoverBench single|cluster [takeovers]}; system properties
 * {@code takeover.concurrency} (10), {@code takeover.tickMs} (3000), {@code takeover.maxMissed}
 * (5), {@code takeover.boundMs} (10000, the longest one takeover may take before it counts as
 * failed), {@code takeover.settleMs} (1000, wait before presence is counted).
 */
public final class TakeoverBench {

  private TakeoverBench() {
  }

  public static void main(String[] args) throws Exception {
    // The service logs a line per closed connection to the console (System.out, looked up per
    // write): send those to stderr, so stdout carries the figures only.
    PrintStream figures = System.out;
    System.setOut(System.err);
    String mode = args.length > 0 ? args[0] : "single";
    if (!mode.equals("single") && !mode.equals("cluster")) {
      System.err.println("takeover-bench: unknown mode " + mode + " (single, cluster)");
      System.exit(2);
    }
    int size = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int concurrency = Integer.getInteger("takeover.concurrency", 10);
    long tickMs = Long.getLong("takeover.tickMs", 3000);
    int maxMissed = Integer.getInteger("takeover.maxMissed", 5);
    long boundMs = Long.getLong("takeover.boundMs", 10_000);
    long settleMs = Long.getLong("takeover.settleMs", 1000);
    JsonObject settings = new JsonObject().put("host", "127.0.0.1").put("port", 0)
        .put("tickMs", tickMs).put("maxMissed", maxMissed);
    String loadBefore = loadAverage();
    BenchNodes nodes;
    try {
      nodes = mode.equals("cluster") ? BenchNodes.cluster(settings) : BenchNodes.single(settings);
    } catch (Exception e) {
      figures.println("takeover-bench: the service did not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Vertx clients = Vertx.vertx();
    int code = 1;
    try {
      Presence seenFirst = new Presence();
      Presence seenSecond = new Presence();
      seenFirst.listen(nodes.first().vertx()).await(30, TimeUnit.SECONDS);
      if (nodes.second() != nodes.first()) {
        seenSecond.listen(nodes.second().vertx()).await(30, TimeUnit.SECONDS);
      }
      TakeoverRun run = new TakeoverRun(clients, nodes.first().port(), nodes.second().port(),
          boundMs);
      long start = System.nanoTime();
      List<TakeoverRun.Takeover> takeovers = run.run(size, concurrency);
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      // Presence events travel on the bus after the sockets have seen their frames: let them
      // arrive before counting (the kept sessions heartbeat meanwhile).
      Thread.sleep(settleMs);
      int keptAtEnd = run.keptOpen();
      Presence.Snapshot first = seenFirst.snapshot(size);
      Presence.Snapshot second = nodes.second() != nodes.first() ? seenSecond.snapshot(size)
          : null;
      String loadAfter = loadAverage();
      run.closeKept();
      Thread.sleep(settleMs);
      Presence.Snapshot afterClose = seenFirst.snapshot(size);
      Summary summary = new Summary(mode, size, concurrency, tickMs, maxMissed, elapsedMs,
          takeovers, keptAtEnd, first, second, afterClose, loadBefore, loadAfter);
      summary.print(figures);
      figures.flush();
      code = summary.failures() == 0 ? 0 : 1;
    } finally {
      clients.close().await(30, TimeUnit.SECONDS);
      nodes.close();
    }
    System.exit(code);
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return String.format(Locale.ROOT, "%s %s %s", parts[0], parts[1], parts[2]);
    } catch (Exception e) {
      return "n/a";
    }
  }
}
