package io.heartbeat.monitor;

/**
 * The times of the most recent aging sweeps, so that a frame reported late can be placed on the
 * tick timeline: the missed-tick counter of a connection whose last frame was at {@code t} is the
 * number of sweeps after {@code t}. Keeps {@code capacity} sweeps; older frames count as
 * "at least capacity". Times are monotonic nanoseconds.
 */
final class SweepHistory {

  private long[] times;
  private int count;
  private int next;
  private final long createdNanos;
  private long tickNanos;

  SweepHistory(int capacity, long tickNanos, long createdNanos) {
    this.times = new long[capacity];
    this.tickNanos = tickNanos;
    this.createdNanos = createdNanos;
  }

  void record(long nowNanos) {
    times[next] = nowNanos;
    next = (next + 1) % times.length;
    if (count < times.length) {
      count++;
    }
  }

  /**
   * Records the sweeps a stalled monitor would have made, one tick apart after the last one and
   * before {@code nowNanos} (at most a history's worth), without anyone being aged.
   */
  void backfill(long nowNanos) {
    long last = count == 0 ? createdNanos : times[Math.floorMod(next - 1, times.length)];
    long first = Math.max(last + tickNanos, nowNanos - (long) times.length * tickNanos);
    for (long t = first; nowNanos - t > 0; t += tickNanos) {
      record(t);
    }
  }

  /** Changes the capacity (maxMissed reload) and tick, keeping the newest sweeps. */
  void reshape(int capacity, long tickNanos) {
    long[] resized = new long[capacity];
    int kept = Math.min(count, capacity);
    for (int i = 0; i < kept; i++) {
      resized[kept - 1 - i] = times[Math.floorMod(next - 1 - i, times.length)];
    }
    times = resized;
    count = kept;
    next = kept % capacity;
    this.tickNanos = tickNanos;
  }

  /**
   * Sweeps strictly after {@code frameNanos}, at most {@code cap}. Before the history is full
   * (monitor just started), whole ticks between the frame and the monitor's start are added, so
   * a connection that was silent before a monitor (re)start is not given a fresh window. A frame
   * older than every recorded sweep (a session whose window is longer than the history) adds the
   * whole ticks between it and the oldest recorded sweep: the sweeps before the history are
   * taken to have been regular, the I/O instance judges the final close on its own clock anyway.
   */
  int sweepsAfter(long frameNanos, int cap) {
    int after = 0;
    long oldest = 0;
    for (int i = 0; i < count; i++) {
      if (times[i] - frameNanos > 0) {
        after++;
      }
      if (i == 0 || times[i] - oldest < 0) {
        oldest = times[i];
      }
    }
    if (after < count) {
      return Math.min(after, cap);
    }
    long reference = count == times.length ? oldest : createdNanos;
    long before = reference - frameNanos;
    long extra = before > 0 ? before / tickNanos : 0;
    return (int) Math.min(cap, after + extra);
  }
}
