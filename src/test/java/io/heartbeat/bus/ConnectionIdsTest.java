package io.heartbeat.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionIdsTest {

  @Test
  void idNamesItsOwnerAndStaysExactInJson() {
    int key = ConnectionIds.ioKey(ConnectionIds.MAX_NODE, ConnectionIds.MAX_INSTANCE);
    long id = ConnectionIds.id(key, 0xFFFF_FFFFL);
    assertEquals(key, ConnectionIds.ioKeyOf(id));
    assertTrue(id < (1L << 53), "id " + id + " is not exact as a JSON/JavaScript number");
  }

  /** The slot Netty's LongObjectHashMap picks for a key in a table of {@code mask + 1} slots. */
  private static int nettySlot(long key, int mask) {
    return (int) (key ^ (key >>> 32)) & mask;
  }

  @Test
  void mapKeysOfTwoInstancesSpreadOverTheTableInsteadOfSharingSlots() {
    int mask = (1 << 15) - 1;
    Set<Integer> rawSlots = new HashSet<>();
    Set<Integer> mixedSlots = new HashSet<>();
    Set<Long> mixedKeys = new HashSet<>();
    for (int instance = 0; instance < 2; instance++) {
      for (long seq = 0; seq < 7_500; seq++) {
        long id = ConnectionIds.id(ConnectionIds.ioKey(0, instance), seq);
        rawSlots.add(nettySlot(id, mask));
        mixedSlots.add(nettySlot(ConnectionIds.mapKey(id), mask));
        mixedKeys.add(ConnectionIds.mapKey(id));
      }
    }
    assertEquals(15_000, mixedKeys.size(), "mapKey must not merge two ids");
    // Raw ids of both instances fold onto the same 7,500 slots (and one dense run of them).
    assertEquals(7_500, rawSlots.size());
    assertTrue(mixedSlots.size() > 11_000, "mixed keys use " + mixedSlots.size() + " slots");
  }
}
