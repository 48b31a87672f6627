package io.heartbeat.server;

import org.slf4j.Logger;

/**
 * Logs at most {@code perSecond} warning lines per second and counts the rest, so hostile
 * traffic cannot flood the log. The next line after a suppressed stretch says how many were
 * dropped. Confined to one event loop (no locking).
 */
public final class RateLimitedLog {

  private final Logger log;
  private final int perSecond;
  private long windowStartNanos;
  private int inWindow;
  private long suppressed;

  public RateLimitedLog(Logger log, int perSecond) {
    this.log = log;
    this.perSecond = perSecond;
  }

  public void warn(String format, Object... args) {
    long now = System.nanoTime();
    if (now - windowStartNanos >= 1_000_000_000L) {
      windowStartNanos = now;
      inWindow = 0;
    }
    if (inWindow >= perSecond) {
      suppressed++;
      return;
    }
    inWindow++;
    if (suppressed > 0) {
      log.warn("({} similar lines suppressed)", suppressed);
      suppressed = 0;
    }
    log.warn(format, args);
  }
}
