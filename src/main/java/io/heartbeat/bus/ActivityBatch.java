package io.heartbeat.bus;

import io.vertx.core.buffer.Buffer;

/**
 * The activity report an I/O instance sends to {@link Addresses#MONITOR_ACTIVITY}: a Buffer of
 * 16-byte entries, each a connection id (8 bytes), the milliseconds since that connection's last
 * complete frame at the time of sending (4 bytes) and the connection's interval in ticks
 * (4 bytes: 1 for a version 1 connection, k for a session granted k ticks), big-endian.
 *
 * <p>A connection appears at most once per batch, and an instance sends at most one activity
 * batch per tick, so bus traffic is bounded by connections x ticks whatever the frame rate.
 * Sending the age rather than "now active" lets the monitor place the frame exactly on its own
 * tick timeline, whatever the delay of the batch. A snapshot (answer to
 * {@link Addresses#MONITOR_RESYNC}) uses the same format with every connection, so a monitor
 * that rebuilds its table (restart, failover) learns each connection's own window with it.
 */
public final class ActivityBatch {

  /** Bytes per entry. */
  public static final int ENTRY_BYTES = 16;

  private ActivityBatch() {
  }

  /** Appends one entry of a version 1 connection (interval of one tick). */
  public static void append(Buffer batch, long connectionId, long ageMs) {
    append(batch, connectionId, ageMs, 1);
  }

  /**
   * Appends one entry; {@code ageMs} is clamped to 0..Integer.MAX_VALUE.
   *
   * @param intervalTicks the connection's interval in ticks (at least 1)
   */
  public static void append(Buffer batch, long connectionId, long ageMs, int intervalTicks) {
    batch.appendLong(connectionId)
        .appendInt((int) Math.max(0, Math.min(Integer.MAX_VALUE, ageMs)))
        .appendInt(Math.max(1, intervalTicks));
  }

  /** Number of entries in a batch. */
  public static int size(Buffer batch) {
    return batch.length() / ENTRY_BYTES;
  }

  /** Id of entry {@code i}. */
  public static long idAt(Buffer batch, int i) {
    return batch.getLong(i * ENTRY_BYTES);
  }

  /** Age in ms of entry {@code i}. */
  public static int ageMsAt(Buffer batch, int i) {
    return batch.getInt(i * ENTRY_BYTES + 8);
  }

  /** Interval in ticks of entry {@code i} (at least 1). */
  public static int intervalTicksAt(Buffer batch, int i) {
    return Math.max(1, batch.getInt(i * ENTRY_BYTES + 12));
  }
}
