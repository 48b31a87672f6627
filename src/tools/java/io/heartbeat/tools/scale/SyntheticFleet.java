package io.heartbeat.tools.scale;

import io.heartbeat.bus.ActivityBatch;
import io.heartbeat.bus.ConnectionIds;
import io.vertx.core.buffer.Buffer;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * The connections of synthetic I/O instances, with no sockets: each connection heartbeats once
 * per tick at a fixed phase inside the tick (so the age an instance reports is 0..tick), except
 * the silent ones. Every tick a fraction of the live connections goes silent for good; when the
 * monitor proposes to close one, the owner confirms and a fresh connection takes its slot, so
 * the tracked count stays at the size asked for. Ids are real {@link ConnectionIds}, spread
 * round-robin over the instances; batches and snapshots use the real {@link ActivityBatch}
 * encoding. Single-threaded.
 */
final class SyntheticFleet {

  private final int[] ioKeys;
  private final long[] ids;
  private final int[] phaseMs;
  private final int[] generation;
  private final int perInstance;
  private final BitSet silent;
  private final SplittableRandom random = new SplittableRandom(15);
  private final double silentPerTick;
  private int silentCount;

  /**
   * @param size connections
   * @param ioKeys the owning I/O instances (connection {@code i} belongs to {@code i % length})
   * @param tickMs the tick; phases are spread over it
   * @param silentPerTick fraction of the live connections that go silent at each tick
   */
  SyntheticFleet(int size, int[] ioKeys, long tickMs, double silentPerTick) {
    this.ioKeys = ioKeys.clone();
    this.ids = new long[size];
    this.phaseMs = new int[size];
    this.generation = new int[size];
    this.perInstance = size / ioKeys.length + 1;
    this.silent = new BitSet(size);
    this.silentPerTick = silentPerTick;
    for (int i = 0; i < size; i++) {
      ids[i] = newId(i);
      phaseMs[i] = (int) (random.nextLong(tickMs));
    }
  }

  /** The sequence says the slot (low part) and how often the slot was reused (high part). */
  private long newId(int slot) {
    int instance = slot % ioKeys.length;
    long sequence = (long) generation[slot] * perInstance + slot / ioKeys.length;
    return ConnectionIds.id(ioKeys[instance], sequence);
  }

  int size() {
    return ids.length;
  }

  long id(int slot) {
    return ids[slot];
  }

  int instances() {
    return ioKeys.length;
  }

  int ioKey(int instance) {
    return ioKeys[instance];
  }

  int silentCount() {
    return silentCount;
  }

  /** Some live connections stop sending, for good (a frozen device, a dead link). */
  void silenceSome() {
    int n = (int) Math.round((ids.length - silentCount) * silentPerTick);
    for (int k = 0; k < n; k++) {
      int slot = random.nextInt(ids.length);
      if (!silent.get(slot)) {
        silent.set(slot);
        silentCount++;
      }
    }
  }

  /**
   * One tick's activity batch of each instance: every connection that is not silent, with the
   * age of its last frame at the flush.
   */
  Buffer[] activityBatches() {
    Buffer[] batches = new Buffer[ioKeys.length];
    for (int k = 0; k < batches.length; k++) {
      batches[k] = Buffer.buffer(perInstance * ActivityBatch.ENTRY_BYTES);
    }
    for (int i = 0; i < ids.length; i++) {
      if (!silent.get(i)) {
        ActivityBatch.append(batches[i % ioKeys.length], ids[i], phaseMs[i]);
      }
    }
    return batches;
  }

  /**
   * The snapshot instance {@code instance} answers a resync with: all its connections, silent
   * ones with the age of their silence ({@code silentAgeMs}).
   */
  Buffer snapshot(int instance, long silentAgeMs) {
    Buffer out = Buffer.buffer(perInstance * ActivityBatch.ENTRY_BYTES);
    for (int i = instance; i < ids.length; i += ioKeys.length) {
      ActivityBatch.append(out, ids[i], silent.get(i) ? silentAgeMs : phaseMs[i]);
    }
    return out;
  }

  /** Slot of a connection id, or -1 if that connection is gone. */
  int slotOf(long id) {
    int key = ConnectionIds.ioKeyOf(id);
    long sequence = id & 0xFFFF_FFFFL;
    for (int k = 0; k < ioKeys.length; k++) {
      if (ioKeys[k] == key) {
        int slot = (int) (sequence % perInstance) * ioKeys.length + k;
        return slot < ids.length && ids[slot] == id ? slot : -1;
      }
    }
    return -1;
  }

  /**
   * The owner closed a silent connection at the monitor's request: a new one takes its slot.
   *
   * @return the new connection's id
   */
  long replace(int slot) {
    if (silent.get(slot)) {
      silent.clear(slot);
      silentCount--;
    }
    generation[slot]++;
    ids[slot] = newId(slot);
    return ids[slot];
  }
}
