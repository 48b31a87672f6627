package io.heartbeat.session;

import io.heartbeat.config.HeartbeatConfig;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refuses a client id that connects too often: more than {@code maxConnects} admitted connects
 * within any {@code windowMs} (GOODBYE {@code flapping}). Pure: no clock; every call takes the
 * time in milliseconds from one monotonic source ({@code System.nanoTime() / 1_000_000} or the
 * tick's time).
 *
 * <ul>
 *   <li>A connect at time t counts at time now while {@code now - t < windowMs}.</li>
 *   <li>The connect that would be the {@code maxConnects + 1}-th within the window is refused
 *       and starts a ban: every connect of that id before {@code refusal + banMs} is refused;
 *       refusals during the ban neither count nor extend it. The first connect at or after the
 *       ban's end is admitted with a clean history.</li>
 *   <li>{@code maxConnects} 0 turns the guard off: every connect is admitted, nothing is
 *       tracked.</li>
 * </ul>
 *
 * <p>Memory is bounded: an id is forgotten once it has not connected for
 * {@code max(windowMs, banMs)} (by {@link #expire}, which the caller runs once per tick, and
 * which touches only the ids it forgets), and at most {@code maxTrackedIds} ids are tracked
 * ({@link #DEFAULT_MAX_TRACKED_IDS} by default): beyond that the id that connected least
 * recently is forgotten, which may let a banned id in early rather than let memory grow. Per id
 * it keeps a ring of at most {@code maxConnects} timestamps, grown on demand from two.
 *
 * <p>Thread-safe (each method holds the instance's lock briefly), so one guard may serve every
 * I/O instance of a node; it is consulted once per HELLO, never per frame.
 */
public final class FlapGuard {

  /** Ids tracked at most by default: about 100 MB at two timestamps each. */
  public static final int DEFAULT_MAX_TRACKED_IDS = 1_000_000;

  private final int maxConnects;
  private final long windowMs;
  private final long banMs;
  private final long retainMs;
  private final int maxTrackedIds;
  /** Access order: the eldest entry is the id that connected least recently. */
  private final LinkedHashMap<String, History> histories;
  private long refusals;

  /**
   * @param maxConnects admitted connects allowed within the window; 0 disables the guard
   * @param windowMs the sliding window in ms, above 0
   * @param banMs how long a flapping id is refused, in ms, 0 or more
   * @param maxTrackedIds ids tracked at most, above 0
   */
  public FlapGuard(int maxConnects, long windowMs, long banMs, int maxTrackedIds) {
    if (maxConnects < 0 || windowMs <= 0 || banMs < 0 || maxTrackedIds <= 0) {
      throw new IllegalArgumentException("FlapGuard(" + maxConnects + ", " + windowMs + ", "
          + banMs + ", " + maxTrackedIds + ")");
    }
    this.maxConnects = maxConnects;
    this.windowMs = windowMs;
    this.banMs = banMs;
    this.retainMs = Math.max(windowMs, banMs);
    this.maxTrackedIds = maxTrackedIds;
    this.histories = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, History> eldest) {
        return size() > FlapGuard.this.maxTrackedIds;
      }
    };
  }

  /** A guard with session.flapMaxConnects, flapWindowMs and flapBanMs. */
  public static FlapGuard from(HeartbeatConfig config) {
    return new FlapGuard(config.sessionFlapMaxConnects(), config.sessionFlapWindowMs(),
        config.sessionFlapBanMs(), DEFAULT_MAX_TRACKED_IDS);
  }

  /**
   * Records a connect of {@code clientId} at {@code nowMs} and says whether it may go on.
   *
   * @return false when the id is flapping or banned (refuse with GOODBYE {@code flapping})
   */
  public synchronized boolean admit(String clientId, long nowMs) {
    if (maxConnects == 0) {
      return true;
    }
    History history = histories.get(clientId);
    if (history == null) {
      history = new History(maxConnects);
      histories.put(clientId, history);
    }
    history.lastTouchMs = nowMs;
    if (history.banned) {
      if (nowMs - history.banUntilMs < 0) {
        refusals++;
        return false;
      }
      history.clear();
    }
    if (history.count == maxConnects && nowMs - history.oldest() < windowMs) {
      history.clear();
      history.banned = true;
      history.banUntilMs = nowMs + banMs;
      refusals++;
      return false;
    }
    history.add(nowMs, maxConnects);
    return true;
  }

  /**
   * Forgets the ids that have not connected for {@code max(windowMs, banMs)}: they are neither
   * banned nor counted any more. Visits only the ids it forgets, plus one.
   *
   * @return how many ids were forgotten
   */
  public synchronized int expire(long nowMs) {
    int forgotten = 0;
    Iterator<History> eldestFirst = histories.values().iterator();
    while (eldestFirst.hasNext()) {
      if (nowMs - eldestFirst.next().lastTouchMs < retainMs) {
        break;
      }
      eldestFirst.remove();
      forgotten++;
    }
    return forgotten;
  }

  /** Connects refused so far (for the flapping-refusals metric). */
  public synchronized long refusals() {
    return refusals;
  }

  /** Ids tracked now. */
  public synchronized int trackedIds() {
    return histories.size();
  }

  /** One id: its last admitted connects (a ring) and its ban. */
  private static final class History {
    private long[] times;
    private int head;
    private int count;
    private long lastTouchMs;
    private boolean banned;
    private long banUntilMs;

    History(int capacity) {
      times = new long[Math.min(2, capacity)];
    }

    long oldest() {
      return times[head];
    }

    /** Appends, dropping the oldest once {@code capacity} times are held. */
    void add(long timeMs, int capacity) {
      if (count < capacity) {
        if (count == times.length) {
          long[] grown = new long[Math.min(capacity, times.length * 2)];
          for (int i = 0; i < count; i++) {
            grown[i] = times[(head + i) % times.length];
          }
          times = grown;
          head = 0;
        }
        times[(head + count) % times.length] = timeMs;
        count++;
      } else {
        // Full: times.length == capacity, and head is the oldest.
        times[head] = timeMs;
        head = (head + 1) % times.length;
      }
    }

    void clear() {
      head = 0;
      count = 0;
      banned = false;
    }
  }
}
