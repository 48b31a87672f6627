package io.heartbeat.tools.scale;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample (the sample is sorted in place). */
final class Percentiles {

  private Percentiles() {
  }

  /** The {@code p}-th percentile (0..100) of {@code values}, 0 when empty. */
  static double of(double[] values, double p) {
    if (values.length == 0) {
      return 0;
    }
    Arrays.sort(values);
    int rank = (int) Math.ceil(p / 100 * values.length);
    return values[Math.max(0, Math.min(values.length - 1, rank - 1))];
  }

  static double of(long[] values, double p) {
    return of(Arrays.stream(values).asDoubleStream().toArray(), p);
  }

  static double max(double[] values) {
    return Arrays.stream(values).max().orElse(0);
  }

  static double max(long[] values) {
    return Arrays.stream(values).max().orElse(0);
  }
}
