package io.heartbeat.monitor;

/**
 * An open-addressing hash table from connection id to one {@code int} of state and the
 * connection's interval in ticks, held in three primitive arrays: no object per connection, so a
 * million tracked connections cost three arrays (16 bytes a slot, 21 to 43 bytes a connection at
 * the load factors kept here) and nothing for the garbage collector to trace. Linear probing with Fibonacci hashing of the id; removal
 * shifts the following run back (no tombstones), so a table with constant churn never degrades.
 * Grows at 3/4 full; {@link #trim()} gives memory back after a mass removal.
 *
 * <p>Connection ids are never negative (bits 63..53 are 0, see
 * {@link io.heartbeat.bus.ConnectionIds}), so {@link #EMPTY} (-1) marks a free slot.
 *
 * <p>Slot numbers stay valid until the next insertion, removal or trim. Not thread-safe.
 */
final class ConnectionStates {

  /** The id stored in a free slot. */
  static final long EMPTY = -1L;
  private static final int MIN_CAPACITY = 16;

  private long[] ids;
  private int[] states;
  /** Interval in ticks (k of the grant rule); 1 for a version 1 connection. */
  private int[] intervals;
  private int mask;
  private int shift;
  private int size;

  ConnectionStates() {
    allocate(MIN_CAPACITY);
  }

  private void allocate(int capacity) {
    ids = new long[capacity];
    states = new int[capacity];
    intervals = new int[capacity];
    java.util.Arrays.fill(ids, EMPTY);
    mask = capacity - 1;
    shift = 64 - Integer.numberOfTrailingZeros(capacity);
  }

  /** Number of ids stored. */
  int size() {
    return size;
  }

  /** Number of slots; slots are numbered 0..capacity-1. */
  int capacity() {
    return ids.length;
  }

  /** The id in {@code slot}, or {@link #EMPTY}. */
  long idAt(int slot) {
    return ids[slot];
  }

  int stateAt(int slot) {
    return states[slot];
  }

  void setStateAt(int slot, int state) {
    states[slot] = state;
  }

  /** The interval in ticks of the connection in {@code slot} (1 until set). */
  int intervalAt(int slot) {
    return intervals[slot];
  }

  void setIntervalAt(int slot, int intervalTicks) {
    intervals[slot] = intervalTicks;
  }

  private int home(long id) {
    return (int) ((id * 0x9E3779B97F4A7C15L) >>> shift);
  }

  /** The slot of {@code id}, or -1 when it is not stored. */
  int slotOf(long id) {
    for (int slot = home(id); ; slot = (slot + 1) & mask) {
      long stored = ids[slot];
      if (stored == id) {
        return slot;
      }
      if (stored == EMPTY) {
        return -1;
      }
    }
  }

  /**
   * The slot of {@code id}, storing it with {@code state} first when it is not there yet (an
   * id already stored keeps its state).
   */
  int insert(long id, int state) {
    if (id < 0) {
      throw new IllegalArgumentException("connection ids are never negative: " + id);
    }
    if (size + 1 > ids.length - (ids.length >> 2)) {
      rehash(ids.length << 1);
    }
    int slot = home(id);
    for (; ; slot = (slot + 1) & mask) {
      long stored = ids[slot];
      if (stored == id) {
        return slot;
      }
      if (stored == EMPTY) {
        break;
      }
    }
    ids[slot] = id;
    states[slot] = state;
    intervals[slot] = 1;
    size++;
    return slot;
  }

  /** Removes {@code id}; returns whether it was stored. */
  boolean remove(long id) {
    int slot = slotOf(id);
    if (slot < 0) {
      return false;
    }
    removeAt(slot);
    return true;
  }

  /** Frees {@code slot} and moves back the entries of its run that may fill the hole. */
  void removeAt(int slot) {
    int hole = slot;
    for (int i = (slot + 1) & mask; ids[i] != EMPTY; i = (i + 1) & mask) {
      int home = home(ids[i]);
      // The entry at i may move to the hole only if its home is not after the hole on the way
      // to i (cyclically): then it stays reachable from its home.
      if (((i - home) & mask) >= ((i - hole) & mask)) {
        ids[hole] = ids[i];
        states[hole] = states[i];
        intervals[hole] = intervals[i];
        hole = i;
      }
    }
    ids[hole] = EMPTY;
    states[hole] = 0;
    intervals[hole] = 0;
    size--;
  }

  /** Shrinks to at most half full when a removal left the table mostly empty. */
  void trim() {
    int wanted = MIN_CAPACITY;
    while (wanted < 2 * size) {
      wanted <<= 1;
    }
    if (wanted * 2 <= ids.length) {
      rehash(wanted);
    }
  }

  private void rehash(int capacity) {
    long[] oldIds = ids;
    int[] oldStates = states;
    int[] oldIntervals = intervals;
    allocate(capacity);
    for (int i = 0; i < oldIds.length; i++) {
      long id = oldIds[i];
      if (id != EMPTY) {
        int slot = home(id);
        while (ids[slot] != EMPTY) {
          slot = (slot + 1) & mask;
        }
        ids[slot] = id;
        states[slot] = oldStates[i];
        intervals[slot] = oldIntervals[i];
      }
    }
  }
}
