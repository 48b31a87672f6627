package io.heartbeat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.bus.ConnectionIds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The assignment of connections to monitors, without a cluster. */
class MonitorViewTest {

  private static final MonitorRef M1 = MonitorRef.of("1.0", 1);
  private static final MonitorRef M2 = MonitorRef.of("2.0", 2);
  private static final MonitorRef M3 = MonitorRef.of("3.0", 3);

  private static MonitorView view(MonitorRef... monitors) {
    return new MonitorView(List.of(monitors), Set.of(1, 2, 3, 5));
  }

  /** 20,000 ids over two I/O instances of each of the given nodes. */
  private static List<Long> ids(int... nodes) {
    List<Long> ids = new ArrayList<>();
    for (int node : nodes) {
      for (int instance = 0; instance < 2; instance++) {
        for (int seq = 0; seq < 20_000 / nodes.length / 2; seq++) {
          ids.add(ConnectionIds.id(ConnectionIds.ioKey(node, instance), seq));
        }
      }
    }
    return ids;
  }

  @Test
  void everyNodeComputesTheSameOwnerWhateverOrderItLearntTheMonitorsIn() {
    List<MonitorRef> shuffled = new ArrayList<>(List.of(M1, M2, M3));
    Collections.shuffle(shuffled, new Random(7));
    MonitorView a = view(M1, M2, M3);
    MonitorView b = new MonitorView(shuffled, Set.of());
    for (long id : ids(5)) {
      assertEquals(a.ownerOf(id), b.ownerOf(id));
    }
  }

  @Test
  void aLeavingMonitorHandsOverOnlyItsOwnConnections() {
    MonitorView before = view(M1, M2, M3);
    MonitorView after = view(M1, M3);
    int moved = 0;
    for (long id : ids(5)) {
      MonitorRef was = before.ownerOf(id);
      if (was.equals(M2)) {
        moved++;
        assertNotEquals(M2, after.ownerOf(id));
      } else {
        assertEquals(was, after.ownerOf(id), "connection " + id + " moved needlessly");
      }
    }
    assertTrue(moved > 0);
  }

  @Test
  void aJoiningMonitorTakesConnectionsOnlyForItself() {
    MonitorView before = view(M1, M3);
    MonitorView after = view(M1, M2, M3);
    for (long id : ids(5)) {
      MonitorRef now = after.ownerOf(id);
      assertTrue(now.equals(M2) || now.equals(before.ownerOf(id)),
          "connection " + id + " moved between old monitors");
    }
  }

  @Test
  void spreadsConnectionsEvenlyOverTheMonitors() {
    Map<MonitorRef, Integer> counts = new HashMap<>();
    List<Long> ids = ids(5);
    MonitorView view = view(M1, M2, M3);
    for (long id : ids) {
      counts.merge(view.ownerOf(id), 1, Integer::sum);
    }
    for (MonitorRef m : List.of(M1, M2, M3)) {
      int share = counts.getOrDefault(m, 0);
      assertTrue(Math.abs(share - ids.size() / 3) < ids.size() / 30,
          m.id() + " got " + share + " of " + ids.size());
    }
  }

  @Test
  void passesOverTheMonitorOnTheConnectionsOwnNode() {
    MonitorView view = view(M1, M2, M3);
    for (long id : ids(1, 2, 3)) {
      assertNotEquals(ConnectionIds.nodeOf(id), view.ownerOf(id).node(), "connection " + id);
    }
  }

  @Test
  void usesTheMonitorOnTheOwnNodeWhenNoOtherIsLive() {
    MonitorView alone = view(M1);
    for (long id : ids(1)) {
      assertEquals(M1, alone.ownerOf(id));
    }
  }

  @Test
  void noMonitorMeansNoOwner() {
    assertNull(MonitorView.EMPTY.ownerOf(ConnectionIds.id(ConnectionIds.ioKey(1, 0), 1)));
    assertEquals(-1, MonitorView.EMPTY.ownerIndex(42));
  }

  @Test
  void theMonitorListCarriedByAResyncRequestGivesTheSameAssignment() {
    MonitorView view = view(M1, M2, M3);
    MonitorView copy = MonitorView.fromMonitorsJson(view.monitorsJson());
    for (long id : ids(1, 5)) {
      assertEquals(view.ownerOf(id), copy.ownerOf(id));
    }
  }

  @Test
  void monitorHashesAreFixedAcrossJvms() {
    // Pinned: a change would split a mixed-version cluster's assignment.
    assertEquals(0xf5a067ade72fa27dL, MonitorRef.hashOf("1.0"));
    assertEquals(MonitorRef.hashOf("1.0"), MonitorRef.of("1.0", 9).hash());
    assertNotEquals(MonitorRef.hashOf("1.0"), MonitorRef.hashOf("1.1"));
  }
}
