package io.heartbeat.session;

import io.heartbeat.bus.Addresses;
import io.heartbeat.testing.Arrivals;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Every presence event a service publishes, in arrival order. */
final class PresenceLog {

  final Arrivals<JsonObject> online = new Arrivals<>();
  final Arrivals<JsonObject> offline = new Arrivals<>();

  static Future<PresenceLog> listen(Vertx vertx) {
    PresenceLog log = new PresenceLog();
    return Future.all(
        vertx.eventBus().<JsonObject>consumer(Addresses.CLIENT_ONLINE,
            m -> log.online.add(m.body())).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.CLIENT_OFFLINE,
            m -> log.offline.add(m.body())).completion())
        .map(v -> log);
  }

  long onlineCount(String clientId) {
    return online.snapshot().stream().filter(e -> clientId.equals(e.getString("clientId")))
        .count();
  }

  long offlineCount(String clientId) {
    return offline.snapshot().stream().filter(e -> clientId.equals(e.getString("clientId")))
        .count();
  }
}
