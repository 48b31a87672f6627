package io.heartbeat.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heartbeat.bus.ConnectionIds;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Per-connection limits: a session granted k ticks is closed at the sweep where its counter
 * equals maxMissed x k, probed after probeAfterMissed x k, and keeps its limit across a
 * rebuilt table (failover) because the limit comes with every activity report.
 */
class SessionLimitsTest {

  private static final long MS = 1_000_000L;
  private static final long TICK = 300 * MS;
  private static final int MAX_MISSED = 3;
  private static final int OWNER = ConnectionIds.ioKey(0, 1);
  private static final long V1 = ConnectionIds.id(OWNER, 1);
  private static final long SESSION = ConnectionIds.id(OWNER, 2);

  private long now = 1_000 * MS;

  private List<Long> sweep(LivenessTable table) {
    List<Long> closed = table.sweep(now).closeByOwner().get(OWNER);
    now += TICK;
    return closed == null ? List.of() : closed;
  }

  @Test
  void aSessionOfTwoTicksIsClosedAtSixSweepsBesideAVersionOneConnectionAtThree() {
    LivenessTable table = new LivenessTable(MAX_MISSED, TICK, now);
    now += TICK / 2;
    table.activity(V1, now);
    table.activity(SESSION, now, 2);
    now += TICK / 2;
    for (int sweep = 1; sweep <= 3; sweep++) {
      assertEquals(List.of(), sweep(table), "sweep " + sweep);
    }
    assertEquals(List.of(V1), sweep(table), "version 1: L = maxMissed");
    for (int sweep = 5; sweep <= 6; sweep++) {
      assertEquals(List.of(), sweep(table), "sweep " + sweep);
    }
    assertEquals(List.of(SESSION), sweep(table), "session: L = maxMissed x 2 = 6");
    assertEquals(6, table.missedTicks(SESSION));
  }

  @Test
  void probesStartAfterProbeAfterMissedTimesTheInterval() {
    LivenessTable table = new LivenessTable(MAX_MISSED, TICK, now);
    table.configure(MAX_MISSED, TICK, true, true, 1);
    now += TICK / 2;
    table.activity(SESSION, now, 2);
    now += TICK / 2;
    for (int sweep = 1; sweep <= 6; sweep++) {
      List<Long> probed = table.sweep(now).probeByOwner().get(OWNER);
      now += TICK;
      assertEquals(sweep >= 3 ? List.of(SESSION) : null, probed, "sweep " + sweep);
    }
  }

  @Test
  void aRebuiltTableJudgesASilentSessionByItsOwnLimitFromItsLastFrame() {
    LivenessTable first = new LivenessTable(MAX_MISSED, TICK, now);
    long frame = now + TICK / 2;
    first.activity(SESSION, frame, 10);
    now += TICK;
    for (int sweep = 1; sweep <= 12; sweep++) {
      sweep(first);
    }
    assertEquals(12, first.missedTicks(SESSION));
    // The monitor dies; its successor starts now and rebuilds from a snapshot whose age is the
    // time since the frame, with the interval.
    LivenessTable rebuilt = new LivenessTable(MAX_MISSED, TICK, now - TICK / 2);
    rebuilt.activity(SESSION, frame, 10);
    assertEquals(10, rebuilt.intervalTicks(SESSION));
    int sweeps = 0;
    while (sweep(rebuilt).isEmpty()) {
      sweeps++;
      assertEquals(true, sweeps < 40, "never closed");
    }
    assertEquals(30, 12 + sweeps, "closed at L = 30 ticks after the frame, not earlier or later");
  }

  @Test
  void aFrameOlderThanTheSweepHistoryCountsTheRegularTicksBeforeIt() {
    LivenessTable table = new LivenessTable(MAX_MISSED, TICK, now);
    table.activity(SESSION, now + TICK / 2, 100);
    now += TICK;
    for (int sweep = 1; sweep <= 50; sweep++) {
      sweep(table);
    }
    // Reported again (e.g. an owner's resync) with the same frame time, long after the history
    // of maxMissed + 2 sweeps forgot it.
    table.activity(SESSION, now - 51 * TICK + TICK / 2, 100);
    assertEquals(50, table.missedTicks(SESSION));
  }
}
