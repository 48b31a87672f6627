package io.heartbeat.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RttHistogramTest {

  @Test
  void isExactBelowSixtyFour() {
    RttHistogram h = new RttHistogram();
    for (int v = 1; v <= 50; v++) {
      h.record(v);
    }
    assertEquals(25, h.quantile(0.5));
    assertEquals(50, h.quantile(0.99));
    assertEquals(1, h.quantile(0));
    assertEquals(50, h.max());
  }

  @Test
  void everyBucketIsAtMostOnePointSixPercentWide() {
    for (long v = 64; v < 1L << 40; v = v * 3 / 2 + 1) {
      int i = RttHistogram.index(v);
      long upper = RttHistogram.upperEdge(i);
      assertTrue(upper >= v, v + " above its bucket's edge " + upper);
      assertTrue(upper - v <= v * 0.016, v + " in a bucket up to " + upper);
    }
  }

  @Test
  void quantilesOfAWideSpreadStayWithinTheBucketWidth() {
    RttHistogram h = new RttHistogram();
    for (int v = 1; v <= 100_000; v++) {
      h.record(v);
    }
    assertWithin(50_000, h.quantile(0.5));
    assertWithin(99_000, h.quantile(0.99));
    assertWithin(99_900, h.quantile(0.999));
    assertEquals(100_000, h.quantile(1.0));
  }

  @Test
  void addMergesCountsAndMaxima() {
    RttHistogram a = new RttHistogram();
    RttHistogram b = new RttHistogram();
    a.record(10);
    b.record(1000);
    a.add(b);
    assertEquals(2, a.count());
    assertEquals(1000, a.max());
    assertEquals(-1, new RttHistogram().quantile(0.5));
  }

  private static void assertWithin(long expected, long actual) {
    assertTrue(Math.abs(actual - expected) <= expected * 0.016, expected + " vs " + actual);
  }
}
