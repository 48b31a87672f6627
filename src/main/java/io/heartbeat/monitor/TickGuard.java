package io.heartbeat.monitor;

/**
 * Decides what a timer callback may do, so that the server's own stalls are never charged to
 * its clients.
 *
 * <p>{@code vertx.setPeriodic} keeps a fixed rate: after the process was stopped (GC pause, VM
 * steal, SIGSTOP) it fires every missed tick back to back. Aging counters once per callback
 * would then close every healthy client before the frames waiting in its socket were read. The
 * rule:
 * <ul>
 *   <li>a callback less than half a tick after the last one that counted is a catch-up: skipped;
 *   <li>a callback more than 1.5 ticks after the last one that counted means the server was
 *       stalled: it does not age anything (time the server could not read is not charged), and
 *       the next regular tick, at least half a tick later, ages normally;
 *   <li>otherwise it ages every counter by one.
 * </ul>
 * So a stall of any length costs clients at most the tick it interrupted, never a close, and
 * the I/O instances have at least half a tick after it to read queued frames before any counter
 * moves again. Times are monotonic nanoseconds (wrap-safe differences).
 */
public final class TickGuard {

  /** What a timer callback should do. */
  public enum Decision {
    /** Age every counter by one tick. */
    AGE,
    /** A catch-up callback right after another: do nothing. */
    SKIP_CATCH_UP,
    /** The first callback after a stall: do nothing, this time is not charged. */
    STALLED
  }

  private long tickNanos;
  private boolean started;
  private long lastCountedNanos;
  private long lastStallNanos;

  /** @param tickNanos the tick length in nanoseconds (positive) */
  public TickGuard(long tickNanos) {
    setTickNanos(tickNanos);
  }

  /** Changes the tick (run-time reload); the next callback is judged against the new length. */
  public void setTickNanos(long tickNanos) {
    if (tickNanos <= 0) {
      throw new IllegalArgumentException("tickNanos must be positive, was " + tickNanos);
    }
    this.tickNanos = tickNanos;
  }

  /** Judges a timer callback that runs at {@code nowNanos}. */
  public Decision onTimer(long nowNanos) {
    if (!started) {
      started = true;
      lastCountedNanos = nowNanos;
      return Decision.AGE;
    }
    long gap = nowNanos - lastCountedNanos;
    if (gap < tickNanos / 2) {
      return Decision.SKIP_CATCH_UP;
    }
    lastCountedNanos = nowNanos;
    if (gap > tickNanos + tickNanos / 2) {
      lastStallNanos = gap;
      return Decision.STALLED;
    }
    return Decision.AGE;
  }

  /** Length of the last stall seen, in nanoseconds (0 if none). */
  public long lastStallNanos() {
    return lastStallNanos;
  }
}
