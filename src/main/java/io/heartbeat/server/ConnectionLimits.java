package io.heartbeat.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process-wide connection limits shared by all I/O instances: a total and a per source
 * address count. Every successful {@link #tryAcquire} is matched by one {@link #release}, so the
 * counts return to zero when connections leave (tests open and close twice to prove it). The
 * per-address map holds only addresses with open connections.
 */
public final class ConnectionLimits {

  private final int maxTotal;
  private final int maxPerAddress;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();

  /**
   * @param maxTotal at most this many connections; 0 for no limit
   * @param maxPerAddress at most this many from one address; 0 for no limit
   */
  public ConnectionLimits(int maxTotal, int maxPerAddress) {
    this.maxTotal = maxTotal;
    this.maxPerAddress = maxPerAddress;
  }

  /** Reserves room for a connection from {@code address}; false if a limit is reached. */
  boolean tryAcquire(String address) {
    if (total.incrementAndGet() > maxTotal && maxTotal > 0) {
      total.decrementAndGet();
      return false;
    }
    if (maxPerAddress > 0) {
      boolean[] ok = {true};
      perAddress.compute(address, (k, count) -> {
        AtomicInteger c = count == null ? new AtomicInteger() : count;
        if (c.get() >= maxPerAddress) {
          ok[0] = false;
        } else {
          c.incrementAndGet();
        }
        return c.get() == 0 ? null : c;
      });
      if (!ok[0]) {
        total.decrementAndGet();
        return false;
      }
    }
    return true;
  }

  /** Frees the room of a connection from {@code address} that {@link #tryAcquire} granted. */
  void release(String address) {
    total.decrementAndGet();
    if (maxPerAddress > 0) {
      perAddress.computeIfPresent(address, (k, c) -> c.decrementAndGet() <= 0 ? null : c);
    }
  }

  /** Connections currently counted. */
  public int total() {
    return total.get();
  }

  /** Addresses with at least one counted connection. */
  public int addresses() {
    return perAddress.size();
  }
}
