package io.heartbeat.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Removing entries by predicate: handing connections over, and reporting a lost node. */
class LivenessTableHandoverTest {

  private static final long TICK = 100_000_000L;

  @Test
  void removesExactlyTheMatchingEntriesAndReportsTheirCounters() {
    LivenessTable table = new LivenessTable(5, TICK, 0);
    for (long id = 1; id <= 6; id++) {
      table.opened(id);
    }
    table.sweep(TICK);
    table.sweep(2 * TICK);
    table.activity(2, 2 * TICK);
    List<String> removed = new ArrayList<>();

    int n = table.removeMatching(id -> id % 2 == 0, (id, missed) -> removed.add(id + ":" + missed));

    assertEquals(3, n);
    assertEquals(List.of("2:0", "4:2", "6:2"), removed.stream().sorted().toList());
    assertEquals(3, table.size());
    assertEquals(-1, table.missedTicks(4));
    assertEquals(2, table.missedTicks(5));
  }

  @Test
  void afterItsOwnStallAClusteredMonitorCountsTheRealTicksOfSilenceFromAResync() {
    LivenessTable table = new LivenessTable(5, TICK, 0);
    table.sweep(TICK);
    table.sweep(2 * TICK);
    // Frozen from 2 to 6 ticks; the I/O node kept reading: the connection's last frame was
    // at 1.5 ticks, as a snapshot taken at 6 ticks reports.
    table.skippedSweeps(6 * TICK);

    table.activity(9, TICK + TICK / 2);

    assertEquals(4, table.missedTicks(9), "sweeps at 2 ticks plus 3 backfilled ones");
    assertEquals(1, table.sweep(6 * TICK).aged(), "nothing was aged by the backfill");
  }

  @Test
  void aNewOwnerRebuildsTheCounterFromTheReportedAgeNotFromZero() {
    // A monitor that starts now learns of a connection silent for 3 ticks (snapshot age).
    long start = 10 * TICK;
    LivenessTable table = new LivenessTable(5, TICK, start);

    table.activity(7, start - 3 * TICK);

    assertEquals(3, table.missedTicks(7));
  }

  @Test
  void handingMostConnectionsOverKeepsTheRestWithTheirCountersAndProposals() {
    LivenessTable table = new LivenessTable(2, TICK, 0);
    for (long id = 0; id < 10_000; id++) {
      table.opened(id);
    }
    table.sweep(TICK);
    table.sweep(2 * TICK);
    // Every counter is at maxMissed now: this sweep proposes all of them for closing.
    assertEquals(10_000, table.sweep(3 * TICK).closeByOwner().get(0).size());

    int n = table.removeMatching(id -> id % 100 != 0, (id, missed) -> { });

    assertEquals(9_900, n);
    assertEquals(100, table.size());
    assertEquals(2, table.missedTicks(500));
    assertEquals(0, table.sweep(4 * TICK).closeByOwner().size(),
        "a kept connection stays proposed: not proposed twice");
    table.unanswered(500);
    assertEquals(List.of(500L), table.sweep(5 * TICK).closeByOwner().get(0));
  }
}
