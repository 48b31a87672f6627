package io.heartbeat.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heartbeat.monitor.TickGuard.Decision;
import org.junit.jupiter.api.Test;

class TickGuardTest {

  private static final long TICK = 3_000_000_000L;

  @Test
  void agesOnEveryRegularTick() {
    TickGuard guard = new TickGuard(TICK);
    long t = 123;
    for (int i = 0; i < 100; i++) {
      assertEquals(Decision.AGE, guard.onTimer(t), "tick " + i);
      t += TICK + (i % 2 == 0 ? 5_000_000 : -5_000_000);
    }
  }

  @Test
  void collapsesTheCatchUpBurstAfterAStallIntoOneUncountedCallback() {
    TickGuard guard = new TickGuard(TICK);
    long t = 0;
    assertEquals(Decision.AGE, guard.onTimer(t));
    t += TICK;
    assertEquals(Decision.AGE, guard.onTimer(t));
    // Stopped for 16 ticks, then setPeriodic fires the missed ones back to back.
    t += 16 * TICK;
    assertEquals(Decision.STALLED, guard.onTimer(t));
    assertEquals(16 * TICK, guard.lastStallNanos());
    for (int i = 0; i < 15; i++) {
      t += 200_000;
      assertEquals(Decision.SKIP_CATCH_UP, guard.onTimer(t));
    }
    // The next scheduled tick on the original grid lands less than a tick later.
    long next = 17 * TICK + TICK;
    assertEquals(Decision.AGE, guard.onTimer(next));
  }

  @Test
  void scheduledTickLessThanHalfATickAfterAStallIsSkippedSoReadersGetTime() {
    TickGuard guard = new TickGuard(TICK);
    guard.onTimer(0);
    long resumed = 10 * TICK - TICK / 5;
    assertEquals(Decision.STALLED, guard.onTimer(resumed));
    assertEquals(Decision.SKIP_CATCH_UP, guard.onTimer(10 * TICK));
    assertEquals(Decision.AGE, guard.onTimer(11 * TICK));
  }

  @Test
  void gapOfOneAndAHalfTicksStillAges() {
    TickGuard guard = new TickGuard(TICK);
    guard.onTimer(0);
    assertEquals(Decision.AGE, guard.onTimer(TICK + TICK / 2));
  }

  @Test
  void worksAcrossNanoTimeWraparound() {
    TickGuard guard = new TickGuard(TICK);
    long t = Long.MAX_VALUE - TICK / 2;
    assertEquals(Decision.AGE, guard.onTimer(t));
    assertEquals(Decision.AGE, guard.onTimer(t + TICK));
    assertEquals(Decision.SKIP_CATCH_UP, guard.onTimer(t + TICK + 1000));
    assertEquals(Decision.STALLED, guard.onTimer(t + 10 * TICK));
  }
}
