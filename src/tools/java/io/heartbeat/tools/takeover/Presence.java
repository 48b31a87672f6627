package io.heartbeat.tools.takeover;

import io.heartbeat.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Presence events as one node's event bus delivers them: online and offline counts per client
 * id ({@link Addresses#CLIENT_ONLINE}, {@link Addresses#CLIENT_OFFLINE}; cluster-wide consumers,
 * so a clustered node also sees what the other node publishes).
 */
final class Presence {

  private final Map<String, AtomicInteger> onlines = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> offlines = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> online;
  private MessageConsumer<JsonObject> offline;

  /** Starts counting on {@code vertx}; completes once both consumers are registered. */
  Future<Void> listen(Vertx vertx) {
    online = vertx.eventBus().consumer(Addresses.CLIENT_ONLINE, m -> count(onlines, m.body()));
    offline = vertx.eventBus().consumer(Addresses.CLIENT_OFFLINE, m -> count(offlines, m.body()));
    return Future.all(online.completion(), offline.completion()).mapEmpty();
  }

  private static void count(Map<String, AtomicInteger> counts, JsonObject event) {
    counts.computeIfAbsent(event.getString("clientId"), k -> new AtomicInteger()).incrementAndGet();
  }

  /** The counts now. */
  Snapshot snapshot(int size) {
    int onlineTotal = 0;
    int exactlyOne = 0;
    for (int i = 0; i < size; i++) {
      AtomicInteger n = onlines.get(TakeoverRun.clientId(i));
      int c = n == null ? 0 : n.get();
      onlineTotal += c;
      exactlyOne += c == 1 ? 1 : 0;
    }
    int offlineTotal = offlines.values().stream().mapToInt(AtomicInteger::get).sum();
    return new Snapshot(onlineTotal, exactlyOne, offlineTotal);
  }

  Future<Void> stop() {
    return Future.all(online.unregister(), offline.unregister()).mapEmpty();
  }

  /**
   * @param onlines online events for the run's client ids
   * @param idsWithOneOnline client ids with exactly one online event
   * @param offlines offline events (any client id)
   */
  record Snapshot(int onlines, int idsWithOneOnline, int offlines) {
  }
}
