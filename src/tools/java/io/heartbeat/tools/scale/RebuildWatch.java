package io.heartbeat.tools.scale;

import io.heartbeat.bus.ActivityBatch;
import io.heartbeat.bus.Addresses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;

/**
 * Tells when a surviving monitor has been handed every connection it takes over from a lost
 * one: an inbound interceptor on its node's event bus lets each message to the monitor's
 * activity address through to the monitor's handler first ({@code next()} runs the handler), then
 * ticks off the taken-over ids the message carried, whether they came in a resync snapshot or in
 * an activity batch. Completes with the time the last one was applied.
 */
final class RebuildWatch {

  private final String address;
  private final long[] moved;
  private final BitSet seen;
  private final CompletableFuture<Long> done = new CompletableFuture<>();
  private volatile boolean armed;
  private int count;

  /** @param moved the ids this monitor takes over (any order) */
  RebuildWatch(String monitorId, long[] moved) {
    this.address = Addresses.monitorActivity(monitorId);
    this.moved = moved.clone();
    Arrays.sort(this.moved);
    this.seen = new BitSet(moved.length);
    if (moved.length == 0) {
      done.complete(System.nanoTime());
    }
  }

  void arm() {
    armed = true;
  }

  int expected() {
    return moved.length;
  }

  /** How many were applied so far (read after completion or for a report). */
  synchronized int applied() {
    return count;
  }

  CompletableFuture<Long> done() {
    return done;
  }

  /** The interceptor: install with {@code eventBus().addInboundInterceptor(watch::intercept)}. */
  <T> void intercept(DeliveryContext<T> context) {
    context.next();
    if (!armed || done.isDone() || !address.equals(context.message().address())
        || !(context.message().body() instanceof Buffer batch)) {
      return;
    }
    synchronized (this) {
      int n = ActivityBatch.size(batch);
      for (int i = 0; i < n; i++) {
        int at = Arrays.binarySearch(moved, ActivityBatch.idAt(batch, i));
        if (at >= 0 && !seen.get(at)) {
          seen.set(at);
          count++;
        }
      }
      if (count == moved.length) {
        done.complete(System.nanoTime());
      }
    }
  }
}
