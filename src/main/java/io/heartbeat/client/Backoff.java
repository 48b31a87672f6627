package io.heartbeat.client;

import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: the n-th delay (n from 0) is uniform in
 * {@code 0 .. min(maxDelayMs, initialDelayMs x multiplier^n)}. Full jitter spreads clients that
 * failed together over the whole window, which de-synchronises a herd far better than a fixed
 * schedule with a little noise.
 *
 * <p>Pure: the random source is injected (a supplier of doubles in [0, 1)), so tests decide every
 * delay. Not thread-safe.
 */
public final class Backoff {

  private final long initialDelayMs;
  private final double multiplier;
  private final long maxDelayMs;
  private final DoubleSupplier random;
  private int attempt;

  /**
   * @param initialDelayMs bound of the first delay, in ms (0 or more)
   * @param multiplier growth of the bound per attempt (1.0 or more)
   * @param maxDelayMs cap of the bound, in ms (at least initialDelayMs)
   * @param random uniform doubles in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble}
   */
  public Backoff(long initialDelayMs, double multiplier, long maxDelayMs, DoubleSupplier random) {
    if (initialDelayMs < 0 || maxDelayMs < initialDelayMs || !(multiplier >= 1.0)) {
      throw new IllegalArgumentException("need 0 <= initialDelayMs <= maxDelayMs and multiplier"
          + " >= 1, got " + initialDelayMs + ", " + maxDelayMs + ", " + multiplier);
    }
    this.initialDelayMs = initialDelayMs;
    this.multiplier = multiplier;
    this.maxDelayMs = maxDelayMs;
    this.random = random;
  }

  /** The backoff of a client's options, with the given random source. */
  public static Backoff of(HeartbeatClientOptions options, DoubleSupplier random) {
    return new Backoff(options.getReconnectInitialDelayMs(), options.getReconnectMultiplier(),
        options.getReconnectMaxDelayMs(), random);
  }

  /** The upper bound of the delay of attempt {@code n} (from 0), in ms. */
  public long boundMs(int n) {
    double bound = initialDelayMs * Math.pow(multiplier, n);
    return bound >= maxDelayMs ? maxDelayMs : (long) bound;
  }

  /** The next delay in ms, and counts the attempt. */
  public long nextDelayMs() {
    long bound = boundMs(attempt);
    if (attempt < Integer.MAX_VALUE) {
      attempt++;
    }
    return jitter(bound);
  }

  /** A uniformly random delay in 0..boundMs (not counted as an attempt). */
  public long jitter(long boundMs) {
    double r = random.getAsDouble();
    long delay = (long) (r * (boundMs + 1));
    return Math.max(0, Math.min(boundMs, delay));
  }

  /** Attempts counted since the last {@link #reset()}. */
  public int attempts() {
    return attempt;
  }

  /** Back to the first attempt (after a successful connection). */
  public void reset() {
    attempt = 0;
  }
}
