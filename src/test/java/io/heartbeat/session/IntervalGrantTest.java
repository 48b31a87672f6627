package io.heartbeat.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The grant rule of protocol 1.1, case by case, and its guard against int overflow. */
class IntervalGrantTest {

  @Test
  void grantsTheSpecExampleSixHundredOnTickThreeHundredTimesThree() {
    assertEquals(new IntervalGrant(600, 2, 6, 1800), IntervalGrant.grant(600, 300, 300,
        1_800_000, 3));
  }

  @ParameterizedTest(name = "request {0} on tick {1}, min {2}, max {3}, maxMissed {4}")
  @CsvSource({
      // requested 0 means the tick
      "0,     300, 300,  1800000, 3,  300,  1, 3,  900",
      // below the minimum: the minimum
      "100,   300, 1200, 1800000, 3,  1200, 4, 12, 3600",
      // above the maximum: the maximum
      "90000, 300, 300,  6000,    3,  6000, 20, 60, 18000",
      // not a multiple of the tick: rounded up to whole ticks
      "601,   300, 300,  1800000, 3,  900,  3, 9,  2700",
      "1,     300, 1,    1800000, 5,  300,  1, 5,  1500",
      // a maximum that is not a multiple of the tick is rounded up too (the spec's order)
      "90000, 300, 300,  1000,    2,  1200, 4, 8,  2400",
      // a minimum of 0 still grants at least one tick
      "0,     300, 0,    0,       3,  300,  1, 3,  900"})
  void grantsByTheRule(int requested, long tickMs, long minMs, long maxMs, int maxMissed,
      int intervalMs, int ticks, int limit, int closeAfterMs) {
    assertEquals(new IntervalGrant(intervalMs, ticks, limit, closeAfterMs),
        IntervalGrant.grant(requested, tickMs, minMs, maxMs, maxMissed));
  }

  @Test
  void versionOneIsJudgedByMaxMissedTicks() {
    assertEquals(new IntervalGrant(3000, 1, 5, 15_000), IntervalGrant.versionOne(3000, 5));
  }

  @Test
  void capsTheIntervalSoTheWindowAndOneMoreTickFitInAnInt() {
    // 10,000 x 1,800,000 ms would overflow closeAfterMs.
    IntervalGrant grant = IntervalGrant.grant(Integer.MAX_VALUE, 3000, 3000, Integer.MAX_VALUE,
        10_000);

    long k = grant.intervalTicks();
    assertEquals((Integer.MAX_VALUE / 3000 - 1) / 10_000, k);
    assertEquals(k * 3000, grant.intervalMs());
    assertEquals(k * 10_000, grant.limitTicks());
    assertEquals(grant.limitTicks() * 3000L, grant.closeAfterMs());
    assertTrue(grant.closeAfterMs() + 3000L <= Integer.MAX_VALUE, "window plus a tick fits");
    assertTrue((k + 1) * 10_000 * 3000 + 3000 > Integer.MAX_VALUE, "the cap is the largest k");
  }

  @Test
  void theDefaultsGrantTheMaximumUncapped() {
    assertEquals(new IntervalGrant(1_800_000, 600, 3000, 9_000_000),
        IntervalGrant.grant(Integer.MAX_VALUE, 3000, 3000, 1_800_000, 5));
  }

  @Test
  void refusesArgumentsOutsideTheirRanges() {
    assertThrows(IllegalArgumentException.class, () -> IntervalGrant.grant(-1, 300, 300, 600, 3));
    assertThrows(IllegalArgumentException.class, () -> IntervalGrant.grant(0, 0, 0, 600, 3));
    assertThrows(IllegalArgumentException.class, () -> IntervalGrant.grant(0, 300, 700, 600, 3));
    assertThrows(IllegalArgumentException.class, () -> IntervalGrant.grant(0, 300, 300, 600, 0));
    assertThrows(IllegalArgumentException.class,
        () -> IntervalGrant.grant(0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE, 1));
  }
}
