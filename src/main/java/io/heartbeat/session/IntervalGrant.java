package io.heartbeat.session;

/**
 * The interval a HELLO is granted and the window its connection is judged by (protocol 1.1,
 * "Granting an interval"). Pure: a function of its arguments.
 *
 * <pre>
 * granted = clamp(requested == 0 ? tick : requested, minIntervalMs, maxIntervalMs)
 * k       = ceil(granted / tick), at least 1      intervalMs   = k x tick
 * L       = maxMissed x k ticks                   closeAfterMs = L x tick
 * </pre>
 *
 * <p>WELCOME carries intervalMs and closeAfterMs as signed 32-bit integers, and the connection
 * is closed up to one tick after closeAfterMs; so k is capped at the largest value for which
 * {@code (L + 1) x tick} stays at most {@link Integer#MAX_VALUE} ms (about 24 days). The cap only
 * bites with a very long maximum interval and a large maxMissed (with the defaults, tick 3000 ms
 * x 5, k may reach 143,165), and then grants less than asked, even below
 * {@code minIntervalMs}: a client heartbeating more often than it asked is always safe. The
 * configuration guarantees {@code (maxMissed + 1) x tick} fits, so k = 1 always does.
 *
 * @param intervalMs the granted interval, a whole number of ticks (WELCOME intervalMs)
 * @param intervalTicks k, the granted interval in ticks, at least 1
 * @param limitTicks L, the silent ticks after which the connection is closed
 * @param closeAfterMs L x tick (WELCOME closeAfterMs)
 */
public record IntervalGrant(int intervalMs, int intervalTicks, int limitTicks, int closeAfterMs) {

  /**
   * Grants an interval.
   *
   * @param requestedIntervalMs HELLO's requestedIntervalMs; 0 means the tick; never negative
   *     (the codec refuses a negative one as illegal input)
   * @param tickMs the server's tick, above 0
   * @param minIntervalMs the effective session.minIntervalMs (tickMs when the setting is 0)
   * @param maxIntervalMs session.maxIntervalMs, at least minIntervalMs
   * @param maxMissed the server's maxMissed, at least 1
   * @throws IllegalArgumentException for arguments outside these ranges, or when even one tick
   *     of window, {@code (maxMissed + 1) x tickMs}, does not fit in an int
   */
  public static IntervalGrant grant(int requestedIntervalMs, long tickMs, long minIntervalMs,
      long maxIntervalMs, int maxMissed) {
    if (requestedIntervalMs < 0 || tickMs <= 0 || minIntervalMs < 0
        || maxIntervalMs < minIntervalMs || maxMissed < 1) {
      throw new IllegalArgumentException("grant(" + requestedIntervalMs + ", " + tickMs + ", "
          + minIntervalMs + ", " + maxIntervalMs + ", " + maxMissed + ")");
    }
    long maxTicks = (Integer.MAX_VALUE / tickMs - 1) / maxMissed;
    if (maxTicks < 1) {
      throw new IllegalArgumentException("(maxMissed + 1) x tickMs does not fit in an int: "
          + maxMissed + " x " + tickMs);
    }
    long asked = requestedIntervalMs == 0 ? tickMs : requestedIntervalMs;
    long granted = Math.min(Math.max(asked, minIntervalMs), maxIntervalMs);
    long ticks = Math.min(Math.max(1, (granted + tickMs - 1) / tickMs), maxTicks);
    long limit = ticks * maxMissed;
    return new IntervalGrant((int) (ticks * tickMs), (int) ticks, (int) limit,
        (int) (limit * tickMs));
  }

  /** The grant of a version 1 connection: one tick, L = maxMissed. */
  public static IntervalGrant versionOne(long tickMs, int maxMissed) {
    return grant(0, tickMs, tickMs, tickMs, maxMissed);
  }
}
