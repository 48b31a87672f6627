package io.heartbeat.testing.scenario;

import io.heartbeat.testing.ServiceProcess;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The protocol's close window for a connection silent since its last frame, as these scenarios
 * judge it: closed no earlier than {@code maxMissed x tick} (strict: the promise) and no later
 * than {@code (maxMissed + 1) x tick} plus a slack of one tick and {@value #EXTRA_SLACK_MS} ms for
 * a loaded two-core machine.
 *
 * <p>README's own-stall rule lets the service close later by the length of each stall it
 * reports itself ("could not run for N ms") plus one tick: time it could not read is not
 * charged to clients. {@link #upperMs(List, long, long)} adds that for the stalls logged inside
 * the silent interval; the lower bound never moves. Figures report both the strict count and
 * the count with that allowance.
 */
public final class VerdictWindow {

  /** Slack beyond one tick, in ms. */
  public static final long EXTRA_SLACK_MS = 100;

  public final long tickMs;
  public final int maxMissed;

  public VerdictWindow(long tickMs, int maxMissed) {
    this.tickMs = tickMs;
    this.maxMissed = maxMissed;
  }

  /** The earliest legal close after the last frame, in ms. */
  public long lowerMs() {
    return tickMs * maxMissed;
  }

  /** The latest tolerated close after the last frame when the service reported no stall. */
  public long upperMs() {
    return tickMs * (maxMissed + 1) + tickMs + EXTRA_SLACK_MS;
  }

  /** The upper bound widened by the stalls the service logged between two wall-clock times. */
  public long upperMs(List<ServiceProcess.Stall> stalls, long fromWallMs, long toWallMs) {
    long extra = 0;
    for (ServiceProcess.Stall s : stalls) {
      if (s.loggedAtMs() >= fromWallMs && s.loggedAtMs() <= toWallMs) {
        extra += s.millis() + tickMs;
      }
    }
    return upperMs() + extra;
  }

  /** The bounds in words, for figures. */
  public String describe() {
    return String.format("[%d, %d] ms (maxMissed %d x tick %d ms; upper edge + 1 tick + %d ms)",
        lowerMs(), upperMs(), maxMissed, tickMs, EXTRA_SLACK_MS);
  }

  /** "n=.. min .. p50 .. p90 .. p99 .. max .." of some durations in ms ("n=0" when empty). */
  public static String percentiles(List<Long> values) {
    if (values.isEmpty()) {
      return "n=0";
    }
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return String.format("n=%d min %d p50 %d p90 %d p99 %d max %d ms", sorted.size(),
        sorted.get(0), at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99),
        sorted.get(sorted.size() - 1));
  }

  private static long at(List<Long> sorted, double q) {
    int index = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
