package io.heartbeat.server;

/** The one place that turns silence into missed ticks, as the admin API and close events show. */
final class Silence {

  private Silence() {
  }

  /** Whole ticks in {@code silentMs}, at most {@code limit}: the connection's counter. */
  static int missedTicks(long silentMs, long tickMs, int limit) {
    return (int) Math.max(0, Math.min(limit, silentMs / tickMs));
  }
}
