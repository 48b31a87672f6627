package io.heartbeat.monitor;

import io.heartbeat.bus.ConnectionIds;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.collection.LongObjectMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * The missed-tick counter of every tracked connection, and the protocol's rule over them. Pure
 * logic: every time is an argument (monotonic nanoseconds), so tests drive it tick by tick.
 *
 * <p>The rule (PROTOCOL.md): a counter starts at 0 when the connection opens; at every aging
 * sweep a counter equal to {@code maxMissed} means the connection is due to close, any other
 * goes up by one; a complete frame sets it back to the number of sweeps since that frame
 * (0 when the report is prompt). A due connection is proposed for closing once; it stays
 * tracked until the owner confirms the close or refuses it ({@link #refused}).
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

  private static final class Entry {
    final long id;
    int missed;
    boolean closeProposed;

    Entry(long id) {
      this.id = id;
    }
  }

  /** Keyed by {@link ConnectionIds#mapKey}, not by the raw id (see there). */
  private final LongObjectHashMap<Entry> entries = new LongObjectHashMap<>();
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
    Entry entry = entries.get(ConnectionIds.mapKey(id));
    if (entry == null) {
      entries.put(ConnectionIds.mapKey(id), new Entry(id));
    } else {
      entry.missed = 0;
    }
  }

  /**
   * A connection's last complete frame was at {@code frameNanos} (monitor clock: receipt time
   * minus the age the owner reported). Unknown ids are added: after a monitor restart the I/O
   * instances are the source of truth.
   */
  public void activity(long id, long frameNanos) {
    Entry entry = entries.get(ConnectionIds.mapKey(id));
    if (entry == null) {
      entry = new Entry(id);
      entries.put(ConnectionIds.mapKey(id), entry);
    }
    entry.missed = Math.min(history.sweepsAfter(frameNanos), maxMissed);
  }

  /** The connection is gone. */
  public void removed(long id) {
    entries.remove(ConnectionIds.mapKey(id));
  }

  /**
   * Removes every entry whose id matches, telling {@code removal} about each (clustered: the
   * connections of a node that left, or those now assigned to another monitor).
   *
   * @return the number of entries removed
   */
  public int removeMatching(LongPredicate match, Removal removal) {
    List<Entry> gone = new ArrayList<>();
    for (Entry entry : entries.values()) {
      if (match.test(entry.id)) {
        gone.add(entry);
      }
    }
    for (Entry entry : gone) {
      entries.remove(ConnectionIds.mapKey(entry.id));
      removal.removed(entry.id, entry.missed);
    }
    return gone.size();
  }

  /**
   * The owner refused a proposed close because the connection was idle only {@code idleMs}
   * (it showed life the monitor had not heard of yet, or the owner's loop had stalled).
   */
  public void refused(long id, long idleMs, long nowNanos) {
    Entry entry = entries.get(ConnectionIds.mapKey(id));
    if (entry != null) {
      entry.closeProposed = false;
      entry.missed = Math.min(history.sweepsAfter(nowNanos - idleMs * 1_000_000), maxMissed);
    }
  }

  /** A close proposal got no answer (owner busy or gone): propose again at the next sweep. */
  public void unanswered(long id) {
    Entry entry = entries.get(ConnectionIds.mapKey(id));
    if (entry != null) {
      entry.closeProposed = false;
    }
  }

  /** Ages every counter by one tick at {@code nowNanos} and returns what is due. */
  public SweepResult sweep(long nowNanos) {
    SweepResult result = new SweepResult();
    for (LongObjectMap.PrimitiveEntry<Entry> slot : entries.entries()) {
      Entry entry = slot.value();
      if (entry.closeProposed) {
        continue;
      }
      if (entry.missed >= maxMissed) {
        if (detectionEnabled) {
          entry.closeProposed = true;
          SweepResult.add(result.close, entry.id);
        }
        continue;
      }
      // Like the close rule, the probe rule reads the counter before this tick adds to it: a
      // probe goes to a connection silent for probeAfterMissed whole ticks, every tick until
      // the close, so even the last probe has a whole tick to be answered.
      if (probeEnabled && entry.missed >= probeAfterMissed) {
        SweepResult.add(result.probe, entry.id);
      }
      entry.missed++;
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

  /** The counter of a connection, or -1 if it is not tracked. */
  public int missedTicks(long id) {
    Entry entry = entries.get(ConnectionIds.mapKey(id));
    return entry == null ? -1 : entry.missed;
  }
}
