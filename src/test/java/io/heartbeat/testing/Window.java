package io.heartbeat.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.config.HeartbeatConfig;
import java.util.List;

/**
 * The protocol's close window for a silent connection, with the bounds tests assert: closed no
 * earlier than {@code maxMissed x tick} after the last frame (strict: the product's promise) and
 * no later than {@code (maxMissed + 1) x tick} plus a slack of one tick and
 * {@value #EXTRA_SLACK_MS} ms, for timers and event loops of a loaded two-core machine.
 *
 * <p>The service does not charge a client for time the service itself could not run (see
 * {@code TickGuard} and the I/O instances' stall recovery) and logs every such stall. The upper
 * bound grows by each stall logged inside the measured interval plus one tick
 * ({@link StallLog}); the lower bound never does.
 */
public final class Window {

  /** Slack beyond one tick for a loaded machine, in ms. */
  public static final long EXTRA_SLACK_MS = 50;

  private final long tickMs;
  private final int maxMissed;

  public Window(long tickMs, int maxMissed) {
    this.tickMs = tickMs;
    this.maxMissed = maxMissed;
  }

  /** The window of a service's settings. */
  public static Window of(HeartbeatConfig config) {
    return new Window(config.tickMs(), config.maxMissed());
  }

  /** {@code maxMissed x tick} in ms: the earliest legal close after the last frame. */
  public long lowerMs() {
    return tickMs * maxMissed;
  }

  /** The latest close tolerated after the last frame, in ms. */
  public long upperMs() {
    return tickMs * (maxMissed + 1) + tickMs + EXTRA_SLACK_MS;
  }

  /**
   * Asserts that a close seen at {@code closedNanos} falls inside the window that opened at
   * {@code lastFrameNanos} (both {@code System.nanoTime()}).
   */
  public void assertClosedInside(String what, long lastFrameNanos, long closedNanos) {
    long elapsedNanos = closedNanos - lastFrameNanos;
    String elapsed = String.format("%.1f ms", elapsedNanos / 1e6);
    assertTrue(elapsedNanos >= lowerMs() * 1_000_000L, what + " closed " + elapsed
        + " after its last frame, before maxMissed x tick = " + lowerMs() + " ms");
    List<StallLog.Stall> stalls = StallLog.between(lastFrameNanos, closedNanos);
    long upper = upperMs() + stallAllowanceMs(stalls);
    assertTrue(elapsedNanos <= upper * 1_000_000L, what + " closed " + elapsed
        + " after its last frame, later than (maxMissed+1) x tick + slack = " + upper
        + " ms (stalls the service reported meanwhile: " + stalls + ")");
  }

  /** Asserts a server-side duration (ms since the last frame) lies inside the window. */
  public void assertInside(String what, long ms, long fromNanos, long toNanos) {
    long upper = upperMs() + stallAllowanceMs(StallLog.between(fromNanos, toNanos));
    assertTrue(ms >= lowerMs() && ms <= upper,
        what + " = " + ms + " ms, outside " + lowerMs() + ".." + upper + " ms");
  }

  /** What stalls the service reported between two instants add to the upper bound, in ms. */
  public long stallAllowanceMs(long fromNanos, long toNanos) {
    return stallAllowanceMs(StallLog.between(fromNanos, toNanos));
  }

  private long stallAllowanceMs(List<StallLog.Stall> stalls) {
    return stalls.stream().mapToLong(s -> s.millis() + tickMs).sum();
  }
}
