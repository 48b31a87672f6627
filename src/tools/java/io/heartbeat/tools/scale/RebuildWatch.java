package io.heartbeat.tools.scale;

import io.heartbeat.bus.ActivityBatch;
import io.heartbeat.bus.Addresses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Tells when a surviving monitor had been handed every connection it takes over from a lost
 * one. An inbound interceptor on its node's event bus lets each message to the monitor's
 * activity address through to the monitor's handler first ({@code next()} runs the handler),
 * then keeps the message and the time the handler returned. Afterwards,
 * {@link #completedAt(long[])} finds the first time by which every taken-over id had arrived,
 * in a resync snapshot or an activity batch. The ids are known only after the kill (ids that a
 * close replaced just before it are left out), hence the recording.
 */
final class RebuildWatch {

  private record Delivery(long nanos, Buffer batch) {
  }

  private final String address;
  private final List<Delivery> deliveries = new ArrayList<>();
  private volatile boolean recording;

  RebuildWatch(String monitorId) {
    this.address = Addresses.monitorActivity(monitorId);
  }

  void start() {
    recording = true;
  }

  void stop() {
    recording = false;
  }

  /** The interceptor: install with {@code eventBus().addInboundInterceptor(watch::intercept)}. */
  <T> void intercept(DeliveryContext<T> context) {
    context.next();
    if (recording && address.equals(context.message().address())
        && context.message().body() instanceof Buffer batch) {
      long now = System.nanoTime();
      synchronized (deliveries) {
        deliveries.add(new Delivery(now, batch));
      }
    }
  }

  /**
   * The time the last of {@code moved} was applied, or -1 if some never arrived while recording.
   *
   * @return {@code [time, applied count]}
   */
  long[] completedAt(long[] moved) {
    long[] sorted = moved.clone();
    Arrays.sort(sorted);
    BitSet seen = new BitSet(sorted.length);
    int count = 0;
    synchronized (deliveries) {
      for (Delivery d : deliveries) {
        int n = ActivityBatch.size(d.batch);
        for (int i = 0; i < n; i++) {
          int at = Arrays.binarySearch(sorted, ActivityBatch.idAt(d.batch, i));
          if (at >= 0 && !seen.get(at)) {
            seen.set(at);
            count++;
          }
        }
        if (count == sorted.length) {
          return new long[] {d.nanos, count};
        }
      }
    }
    return new long[] {sorted.length == 0 ? 0 : -1, count};
  }
}
