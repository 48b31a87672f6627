package io.heartbeat.monitor;

import io.heartbeat.bus.ConnectionIds;
import io.netty.util.collection.IntObjectHashMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * The missed-tick counter of every tracked connection, and the protocol's rule over them. Pure
 * logic: every time is an argument (monotonic nanoseconds), so tests drive it tick by tick.
 *
 * <p>The rule (PROTOCOL.md): a counter starts at 0 when the connection opens; at every aging
 * sweep a counter equal to the connection's limit L means the connection is due to close, any
 * other goes up by one; a complete frame sets it back to the number of sweeps since that frame
 * (0 when the report is prompt). L is {@code maxMissed x k}, where k is the connection's
 * interval in ticks: 1 for a version 1 connection, the grant for a session (it arrives with the
 * activity reports, so a rebuilt table has it too). Probes start after
 * {@code probeAfterMissed x k} silent ticks. A due connection is proposed for closing once; it
 * stays tracked until the owner confirms the close or refuses it ({@link #refused}).
 *
 * <p>The counters live in a {@link ConnectionStates}: primitive arrays, no object per
 * connection, so a sweep is one pass over two arrays and a million connections cost about 24
 * bytes each (docs/SCALING.md has the figures).
 *
 * <p>Not thread-safe; confined to the monitor's event loop.
 */
public final class LivenessTable {

  /** Connections to close or probe after one sweep, grouped by owning I/O instance key. */
  public static final class SweepResult {
    private final IntObjectHashMap<List<Long>> close = new IntObjectHashMap<>();
    private final IntObjectHashMap<List<Long>> probe = new IntObjectHashMap<>();
    private int aged;

    /** Ids due to close, by I/O instance key. */
    public Map<Integer, List<Long>> closeByOwner() {
      return close;
    }

    /** Ids to probe, by I/O instance key. */
    public Map<Integer, List<Long>> probeByOwner() {
      return probe;
    }

    /** Counters aged by this sweep. */
    public int aged() {
      return aged;
    }

    private static void add(IntObjectHashMap<List<Long>> map, long id) {
      int owner = ConnectionIds.ioKeyOf(id);
      List<Long> ids = map.get(owner);
      if (ids == null) {
        ids = new ArrayList<>();
        map.put(owner, ids);
      }
      ids.add(id);
    }
  }

  /** Receives each entry {@link #removeMatching} removes, with its counter. */
  @FunctionalInterface
  public interface Removal {
    void removed(long id, int missedTicks);
  }

  /** State bit: a close was proposed and not answered yet. The low bits hold the counter. */
  private static final int CLOSE_PROPOSED = 1 << 31;

  private final ConnectionStates entries = new ConnectionStates();
  private final SweepHistory history;
  private int maxMissed;
  private boolean detectionEnabled;
  private boolean probeEnabled;
  private int probeAfterMissed;

  /**
   * @param maxMissed counter value at which a connection is closed (at least 1)
   * @param tickNanos tick length
   * @param nowNanos the current monotonic time
   */
  public LivenessTable(int maxMissed, long tickNanos, long nowNanos) {
    this.maxMissed = maxMissed;
    this.detectionEnabled = true;
    this.history = new SweepHistory(maxMissed + 2, tickNanos, nowNanos);
  }

  /** Applies run-time settings. */
  public void configure(int maxMissed, long tickNanos, boolean detectionEnabled,
      boolean probeEnabled, int probeAfterMissed) {
    history.reshape(maxMissed + 2, tickNanos);
    this.maxMissed = maxMissed;
    this.detectionEnabled = detectionEnabled;
    this.probeEnabled = probeEnabled;
    this.probeAfterMissed = probeAfterMissed;
  }

  /** A connection was accepted: its counter starts at 0. */
  public void opened(long id) {
    int slot = entries.insert(id, 0);
    entries.setStateAt(slot, entries.stateAt(slot) & CLOSE_PROPOSED);
  }

  /** {@link #activity(long, long, int)} of a version 1 connection (interval of one tick). */
  public void activity(long id, long frameNanos) {
    activity(id, frameNanos, 1);
  }

  /**
   * A connection's last complete frame was at {@code frameNanos} (monitor clock: receipt time
   * minus the age the owner reported), and its interval is {@code intervalTicks}. Unknown ids
   * are added: after a monitor restart the I/O instances are the source of truth.
   */
  public void activity(long id, long frameNanos, int intervalTicks) {
    int slot = entries.insert(id, 0);
    entries.setIntervalAt(slot, Math.max(1, intervalTicks));
    int proposed = entries.stateAt(slot) & CLOSE_PROPOSED;
    entries.setStateAt(slot, proposed | history.sweepsAfter(frameNanos, limitAt(slot)));
  }

  /** L of the connection in {@code slot}: maxMissed x its interval in ticks. */
  private int limitAt(int slot) {
    return (int) Math.min(Integer.MAX_VALUE, (long) maxMissed * entries.intervalAt(slot));
  }

  /** The connection is gone. */
  public void removed(long id) {
    entries.remove(id);
  }

  /**
   * Removes every entry whose id matches, telling {@code removal} about each (clustered: the
   * connections of a node that left, or those now assigned to another monitor).
   *
   * @return the number of entries removed
   */
  public int removeMatching(LongPredicate match, Removal removal) {
    // Collected first: a removal moves later entries of its run back into earlier slots.
    long[] gone = new long[16];
    int[] missed = new int[16];
    int n = 0;
    for (int slot = 0; slot < entries.capacity(); slot++) {
      long id = entries.idAt(slot);
      if (id != ConnectionStates.EMPTY && match.test(id)) {
        if (n == gone.length) {
          gone = Arrays.copyOf(gone, n * 2);
          missed = Arrays.copyOf(missed, n * 2);
        }
        gone[n] = id;
        missed[n++] = entries.stateAt(slot) & ~CLOSE_PROPOSED;
      }
    }
    for (int i = 0; i < n; i++) {
      entries.remove(gone[i]);
    }
    entries.trim();
    for (int i = 0; i < n; i++) {
      removal.removed(gone[i], missed[i]);
    }
    return n;
  }

  /**
   * The owner refused a proposed close because the connection was idle only {@code idleMs}
   * (it showed life the monitor had not heard of yet, or the owner's loop had stalled).
   */
  public void refused(long id, long idleMs, long nowNanos) {
    int slot = entries.slotOf(id);
    if (slot >= 0) {
      entries.setStateAt(slot, history.sweepsAfter(nowNanos - idleMs * 1_000_000, limitAt(slot)));
    }
  }

  /** A close proposal got no answer (owner busy or gone): propose again at the next sweep. */
  public void unanswered(long id) {
    int slot = entries.slotOf(id);
    if (slot >= 0) {
      entries.setStateAt(slot, entries.stateAt(slot) & ~CLOSE_PROPOSED);
    }
  }

  /** Ages every counter by one tick at {@code nowNanos} and returns what is due. */
  public SweepResult sweep(long nowNanos) {
    SweepResult result = new SweepResult();
    int capacity = entries.capacity();
    for (int slot = 0; slot < capacity; slot++) {
      long id = entries.idAt(slot);
      if (id == ConnectionStates.EMPTY) {
        continue;
      }
      int missed = entries.stateAt(slot);
      if ((missed & CLOSE_PROPOSED) != 0) {
        continue;
      }
      int k = entries.intervalAt(slot);
      if (missed >= limitAt(slot)) {
        if (detectionEnabled) {
          entries.setStateAt(slot, missed | CLOSE_PROPOSED);
          SweepResult.add(result.close, id);
        }
        continue;
      }
      // Like the close rule, the probe rule reads the counter before this tick adds to it: a
      // probe goes to a connection silent for probeAfterMissed whole ticks, every tick until
      // the close, so even the last probe has a whole tick to be answered.
      if (probeEnabled && missed >= (long) probeAfterMissed * k) {
        SweepResult.add(result.probe, id);
      }
      entries.setStateAt(slot, missed + 1);
      result.aged++;
    }
    history.record(nowNanos);
    return result;
  }

  /**
   * The monitor could not run from its last sweep until {@code nowNanos}, but the owners of the
   * connections kept reading (clustered): the missed ticks are placed on the timeline without
   * aging any counter, so ages reported afterwards (a resync) count the real ticks of silence.
   */
  public void skippedSweeps(long nowNanos) {
    history.backfill(nowNanos);
  }

  /** Number of tracked connections. */
  public int size() {
    return entries.size();
  }

  /** The interval in ticks a connection is judged by, or -1 if it is not tracked. */
  public int intervalTicks(long id) {
    int slot = entries.slotOf(id);
    return slot < 0 ? -1 : entries.intervalAt(slot);
  }

  /** The counter of a connection, or -1 if it is not tracked. */
  public int missedTicks(long id) {
    int slot = entries.slotOf(id);
    return slot < 0 ? -1 : entries.stateAt(slot) & ~CLOSE_PROPOSED;
  }
}
