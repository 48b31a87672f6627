package io.heartbeat.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.bus.ConnectionIds;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The protocol's rule, driven tick by tick with an injected clock: closed at the first sweep at
 * which the counter equals maxMissed, i.e. between maxMissed and maxMissed+1 ticks after the
 * last frame.
 */
class LivenessTableTest {

  private static final long MS = 1_000_000L;
  private static final long TICK = 3000 * MS;
  private static final int MAX_MISSED = 5;
  private static final int OWNER = ConnectionIds.ioKey(0, 1);
  private static final long ID = ConnectionIds.id(OWNER, 7);

  private long now = 1_000 * MS;
  private final LivenessTable table = new LivenessTable(MAX_MISSED, TICK, now);

  private List<Long> sweep() {
    List<Long> closed = table.sweep(now).closeByOwner().get(OWNER);
    now += TICK;
    return closed == null ? List.of() : closed;
  }

  @Test
  void closesAtTheSweepWhereTheCounterEqualsMaxMissed() {
    now += TICK / 3;
    table.opened(ID);
    now += TICK * 2 / 3;
    for (int tick = 1; tick <= MAX_MISSED; tick++) {
      assertEquals(List.of(), sweep(), "closed too early at sweep " + tick);
      assertEquals(tick, table.missedTicks(ID));
    }
    assertEquals(List.of(ID), sweep());
  }

  @Test
  void frameJustBeforeTheDeadlineResetsTheCounter() {
    table.opened(ID);
    for (int tick = 0; tick < 1000; tick++) {
      if (tick % MAX_MISSED == MAX_MISSED - 1) {
        table.activity(ID, now - 1);
      }
      assertEquals(List.of(), sweep(), "live connection proposed for close at tick " + tick);
    }
  }

  @Test
  void lateReportIsPlacedOnTheTickWhereTheFrameHappened() {
    table.opened(ID);
    long frame = now + TICK / 2;
    now += TICK;
    sweep();
    sweep();
    // The frame happened before the last two sweeps; its report arrives only now.
    table.activity(ID, frame);
    assertEquals(2, table.missedTicks(ID));
    int sweepsUntilClose = 0;
    while (sweep().isEmpty()) {
      sweepsUntilClose++;
    }
    assertEquals(MAX_MISSED - 2, sweepsUntilClose);
  }

  @Test
  void proposesEachCloseOnceUntilTheOwnerAnswers() {
    table.opened(ID);
    for (int i = 0; i < MAX_MISSED; i++) {
      sweep();
    }
    assertEquals(List.of(ID), sweep());
    assertEquals(List.of(), sweep());
    table.unanswered(ID);
    assertEquals(List.of(ID), sweep());
  }

  @Test
  void refusalResynchronisesFromTheOwnersIdleTime() {
    table.opened(ID);
    for (int i = 0; i < MAX_MISSED; i++) {
      sweep();
    }
    assertEquals(List.of(ID), sweep());
    // The owner saw a frame 10 ms ago that the monitor had not heard of.
    table.refused(ID, 10, now);
    assertEquals(0, table.missedTicks(ID));
    for (int i = 0; i < MAX_MISSED; i++) {
      assertEquals(List.of(), sweep());
    }
    assertEquals(List.of(ID), sweep());
  }

  @Test
  void detectionOffNeverProposesAClose() {
    table.configure(MAX_MISSED, TICK, false, false, 1);
    table.opened(ID);
    for (int i = 0; i < 100; i++) {
      assertEquals(List.of(), sweep());
    }
    assertEquals(MAX_MISSED, table.missedTicks(ID));
  }

  @Test
  void probesSilentConnectionsFromProbeAfterMissedUntilTheDeadline() {
    table.configure(MAX_MISSED, TICK, true, true, 2);
    table.opened(ID);
    int probes = 0;
    for (int i = 0; i < MAX_MISSED; i++) {
      List<Long> probed = table.sweep(now).probeByOwner().get(OWNER);
      now += TICK;
      if (probed != null) {
        // Counted after the sweep: the probe went out when 2 whole ticks were silent.
        assertTrue(table.missedTicks(ID) >= 3);
        probes++;
      }
    }
    assertEquals(MAX_MISSED - 2, probes);
  }

  @Test
  void unknownConnectionReportedByAnOwnerIsTrackedFromItsAge() {
    long other = ConnectionIds.id(OWNER, 8);
    for (int i = 0; i < MAX_MISSED + 2; i++) {
      sweep();
    }
    table.activity(other, now - 3 * TICK - TICK / 2);
    assertEquals(3, table.missedTicks(other));
  }

  @Test
  void removedConnectionIsForgotten() {
    table.opened(ID);
    table.removed(ID);
    assertEquals(-1, table.missedTicks(ID));
    assertEquals(0, table.size());
  }

  @Test
  void closesGroupedByOwner() {
    int otherOwner = ConnectionIds.ioKey(0, 2);
    long a = ConnectionIds.id(OWNER, 1);
    long b = ConnectionIds.id(otherOwner, 1);
    table.opened(a);
    table.opened(b);
    for (int i = 0; i < MAX_MISSED; i++) {
      table.sweep(now);
      now += TICK;
    }
    LivenessTable.SweepResult result = table.sweep(now);
    assertEquals(List.of(a), result.closeByOwner().get(OWNER));
    assertEquals(List.of(b), result.closeByOwner().get(otherOwner));
  }

  @Test
  void frameBeforeAMonitorRestartCountsTheTicksItWasSilent() {
    LivenessTable fresh = new LivenessTable(MAX_MISSED, TICK, now);
    fresh.activity(ID, now - 4 * TICK - 1);
    assertEquals(4, fresh.missedTicks(ID));
  }
}
