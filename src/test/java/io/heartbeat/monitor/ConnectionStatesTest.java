package io.heartbeat.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.bus.ConnectionIds;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The primitive open-addressing table behind the liveness table: it must behave exactly like a
 * map from id to state through growth, removal (backward shift) and trimming, whatever the ids.
 */
class ConnectionStatesTest {

  private final ConnectionStates table = new ConnectionStates();

  @Test
  void storesLooksUpAndRemovesIds() {
    long id = ConnectionIds.id(ConnectionIds.ioKey(3, 1), 42);
    assertEquals(-1, table.slotOf(id));
    int slot = table.insert(id, 7);
    assertEquals(slot, table.slotOf(id));
    assertEquals(7, table.stateAt(slot));
    assertEquals(1, table.size());
    assertTrue(table.remove(id));
    assertFalse(table.remove(id));
    assertEquals(-1, table.slotOf(id));
    assertEquals(0, table.size());
  }

  @Test
  void insertingAStoredIdKeepsItsState() {
    int slot = table.insert(5, 9);
    assertEquals(slot, table.insert(5, 0));
    assertEquals(9, table.stateAt(slot));
    assertEquals(1, table.size());
  }

  @Test
  void idZeroIsAnOrdinaryId() {
    // Node 0, instance 0, sequence 0: a real id in one process.
    long zero = ConnectionIds.id(ConnectionIds.ioKey(0, 0), 0);
    table.insert(zero, 3);
    assertEquals(3, table.stateAt(table.slotOf(zero)));
  }

  @Test
  void rejectsNegativeIds() {
    assertThrows(IllegalArgumentException.class, () -> table.insert(-1, 0));
  }

  @Test
  void matchesAMapThroughRandomChurnOfDenseAndSpreadIds() {
    SplittableRandom random = new SplittableRandom(11);
    Map<Long, Integer> model = new HashMap<>();
    for (int step = 0; step < 200_000; step++) {
      // Dense sequences of few instances collide in naive hashes: the case the ids produce.
      long id = ConnectionIds.id(ConnectionIds.ioKey(random.nextInt(4), random.nextInt(3)),
          random.nextInt(5_000));
      int op = random.nextInt(10);
      if (op < 5) {
        int state = random.nextInt(1000);
        int slot = table.insert(id, state);
        model.putIfAbsent(id, state);
        table.setStateAt(slot, model.get(id));
      } else if (op < 8) {
        assertEquals(model.remove(id) != null, table.remove(id));
      } else {
        int slot = table.slotOf(id);
        Integer expected = model.get(id);
        assertEquals(expected == null ? -1 : expected, slot < 0 ? -1 : table.stateAt(slot));
      }
      if (step % 50_000 == 0) {
        table.trim();
      }
    }
    assertEquals(model.size(), table.size());
    int seen = 0;
    for (int slot = 0; slot < table.capacity(); slot++) {
      long id = table.idAt(slot);
      if (id != ConnectionStates.EMPTY) {
        seen++;
        assertEquals(model.get(id), table.stateAt(slot));
      }
    }
    assertEquals(model.size(), seen);
  }

  @Test
  void growsBeforeThreeQuartersFullAndTrimsAfterAMassRemoval() {
    for (int i = 0; i < 100_000; i++) {
      table.insert(i, i);
    }
    assertTrue(table.size() <= table.capacity() * 3 / 4, "load above 3/4");
    for (int i = 0; i < 100_000; i++) {
      if (i % 10 != 0) {
        table.remove(i);
      }
    }
    table.trim();
    assertEquals(10_000, table.size());
    assertTrue(table.capacity() <= 4 * table.size(), "capacity " + table.capacity()
        + " kept for " + table.size() + " ids");
    assertTrue(table.capacity() >= 2 * table.size(), "trimmed above half full");
    for (int i = 0; i < 100_000; i += 10) {
      assertEquals(i, table.stateAt(table.slotOf(i)));
    }
  }
}
