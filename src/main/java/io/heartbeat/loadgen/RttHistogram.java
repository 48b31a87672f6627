package io.heartbeat.loadgen;

/**
 * A log-linear histogram of non-negative values (here microseconds): exact below 64, then 64
 * buckets per power of two, so every bucket is at most 1.6 % wide. Fixed size, no allocation
 * per value. Not thread-safe.
 */
final class RttHistogram {

  private static final int SUB = 64;
  private static final int SUB_BITS = 6;
  private final long[] counts = new long[SUB * 59];
  private long total;
  private long max;

  /** Records one value; negative values count as 0. */
  void record(long value) {
    long v = Math.max(0, value);
    counts[index(v)]++;
    total++;
    if (v > max) {
      max = v;
    }
  }

  long count() {
    return total;
  }

  long max() {
    return max;
  }

  /**
   * The value at quantile {@code q} (0..1): the upper edge of the bucket holding it, never above
   * the maximum seen; -1 when empty.
   */
  long quantile(double q) {
    if (total == 0) {
      return -1;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(max, upperEdge(i));
      }
    }
    return max;
  }

  /** Adds every count of {@code other}. */
  void add(RttHistogram other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    max = Math.max(max, other.max);
  }

  void clear() {
    java.util.Arrays.fill(counts, 0);
    total = 0;
    max = 0;
  }

  static int index(long v) {
    if (v < SUB) {
      return (int) v;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(v);
    int sub = (int) (v >>> (exponent - SUB_BITS)) & (SUB - 1);
    return (exponent - SUB_BITS + 1) * SUB + sub;
  }

  static long upperEdge(int index) {
    if (index < SUB) {
      return index;
    }
    int exponent = index / SUB + SUB_BITS - 1;
    long sub = index % SUB;
    long width = 1L << (exponent - SUB_BITS);
    return ((SUB + sub) << (exponent - SUB_BITS)) + width - 1;
  }
}
