package io.heartbeat.tools.takeover;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The figures of one run: latency percentiles, presence counts, kept sessions, failures. */
final class Summary {

  private final String mode;
  private final int size;
  private final int concurrency;
  private final long tickMs;
  private final int maxMissed;
  private final long elapsedMs;
  private final List<TakeoverRun.Takeover> takeovers;
  private final int keptAtEnd;
  private final Presence.Snapshot first;
  private final Presence.Snapshot second;
  private final Presence.Snapshot afterClose;
  private final String loadBefore;
  private final String loadAfter;

  Summary(String mode, int size, int concurrency, long tickMs, int maxMissed, long elapsedMs,
      List<TakeoverRun.Takeover> takeovers, int keptAtEnd, Presence.Snapshot first,
      Presence.Snapshot second, Presence.Snapshot afterClose, String loadBefore,
      String loadAfter) {
    this.mode = mode;
    this.size = size;
    this.concurrency = concurrency;
    this.tickMs = tickMs;
    this.maxMissed = maxMissed;
    this.elapsedMs = elapsedMs;
    this.takeovers = takeovers;
    this.keptAtEnd = keptAtEnd;
    this.first = first;
    this.second = second;
    this.afterClose = afterClose;
    this.loadBefore = loadBefore;
    this.loadAfter = loadAfter;
  }

  long failures() {
    return takeovers.stream().filter(t -> t.failure() != null).count() + (size - takeovers.size());
  }

  void print(PrintStream out) {
    List<TakeoverRun.Takeover> good = takeovers.stream().filter(t -> t.failure() == null)
        .toList();
    double[] eof = good.stream().mapToDouble(t -> (t.eofA() - t.welcomeB()) / 1e6).toArray();
    double[] bye = good.stream().mapToDouble(t -> (t.goodbyeA() - t.welcomeB()) / 1e6)
        .toArray();
    long keptAtEof = takeovers.stream().filter(TakeoverRun.Takeover::keptAtEofA).count();
    out.printf(Locale.ROOT, "takeover-bench %s: N=%d concurrency=%d tickMs=%d maxMissed=%d"
        + " cores=%d elapsed=%d ms%n", mode, size, concurrency, tickMs, maxMissed,
        Runtime.getRuntime().availableProcessors(), elapsedMs);
    out.printf(Locale.ROOT, "  load average before %s, after %s%n", loadBefore, loadAfter);
    out.println("  latency over " + good.size() + " good takeovers, ms (t0 = new WELCOME at the"
        + " client; negative = before it)");
    out.println(row("EOF of old - t0", eof));
    out.println(row("GOODBYE of old - t0", bye));
    out.printf(Locale.ROOT, "  EOF of old within 200 ms of t0: %d of %d%n",
        Arrays.stream(eof).filter(v -> v <= 200).count(), eof.length);
    Map<String, Integer> nodes = new TreeMap<>();
    good.forEach(t -> nodes.merge(t.nodes(), 1, Integer::sum));
    out.println("  old -> new session's node (from the WELCOME connection ids): " + nodes);
    out.printf(Locale.ROOT, "  presence seen on the old sessions' node: onlines=%d (ids with exactly one: %d of"
        + " %d) offlines=%d%n", first.onlines(), first.idsWithOneOnline(), size, first.offlines());
    if (second != null) {
      out.printf(Locale.ROOT, "  presence seen on the new sessions' node: onlines=%d (ids with exactly one: %d"
          + " of %d) offlines=%d%n", second.onlines(), second.idsWithOneOnline(), size,
          second.offlines());
    }
    out.printf(Locale.ROOT, "  new session kept: open when the old one ended %d of %d, still open"
        + " at the end %d of %d%n", keptAtEof, size, keptAtEnd, size);
    out.printf(Locale.ROOT, "  after closing the kept sessions (cleanup, not measured): offlines"
        + " seen on the old sessions' node = %d%n", afterClose.offlines());
    out.printf(Locale.ROOT, "  failures: %d%n", failures());
    Map<String, Integer> kinds = new TreeMap<>();
    takeovers.stream().filter(t -> t.failure() != null)
        .forEach(t -> kinds.merge(t.failure(), 1, Integer::sum));
    kinds.forEach((k, n) -> out.printf(Locale.ROOT, "    %d x %s%n", n, k));
    out.printf(Locale.ROOT, "TAKEOVER-JSON {\"mode\":\"%s\",\"n\":%d,\"eofP50Ms\":%.2f,"
        + "\"eofP90Ms\":%.2f,\"eofP99Ms\":%.2f,\"eofMaxMs\":%.2f,\"goodbyeP50Ms\":%.2f,"
        + "\"goodbyeP90Ms\":%.2f,\"goodbyeP99Ms\":%.2f,\"goodbyeMaxMs\":%.2f,\"onlines\":%d,"
        + "\"offlines\":%d,\"keptAtEnd\":%d,\"failures\":%d}%n", mode, size,
        pct(eof, 50), pct(eof, 90), pct(eof, 99), max(eof), pct(bye, 50), pct(bye, 90),
        pct(bye, 99), max(bye), first.onlines(), first.offlines(), keptAtEnd, failures());
  }

  private static String row(String label, double[] values) {
    return String.format(Locale.ROOT, "    %-20s min %7.2f  p50 %7.2f  p90 %7.2f  p99 %7.2f"
        + "  max %7.2f", label, min(values), pct(values, 50), pct(values, 90), pct(values, 99),
        max(values));
  }

  /** Nearest-rank percentile; 0 when empty. */
  private static double pct(double[] values, double p) {
    if (values.length == 0) {
      return 0;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElse(0);
  }

  private static double min(double[] values) {
    return Arrays.stream(values).min().orElse(0);
  }
}
