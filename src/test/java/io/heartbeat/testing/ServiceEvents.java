package io.heartbeat.testing;

import io.heartbeat.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Listens to everything the service publishes for the application (opened, closed, data,
 * config changed) and lets a test wait for a given event. Connections are matched to
 * {@link FrameClient}s by the client's local port, which the server reports as the remote
 * address. Thread-safe.
 */
public final class ServiceEvents {

  private final ConcurrentMap<Integer, Promise<JsonObject>> openedByPeerPort =
      new ConcurrentHashMap<>();
  private final ConcurrentMap<Long, Promise<JsonObject>> closedById = new ConcurrentHashMap<>();
  private final ConcurrentMap<Long, Arrivals<JsonObject>> dataById = new ConcurrentHashMap<>();
  private final Arrivals<JsonObject> configChanges = new Arrivals<>();

  private ServiceEvents() {
  }

  /** Subscribes on {@code vertx}'s event bus; completes once every consumer is registered. */
  public static Future<ServiceEvents> listen(Vertx vertx) {
    ServiceEvents events = new ServiceEvents();
    EventBus bus = vertx.eventBus();
    return Future.all(
        bus.<JsonObject>consumer(Addresses.CONNECTION_OPENED, m -> events.onOpened(m.body()))
            .completion(),
        bus.<JsonObject>consumer(Addresses.CONNECTION_CLOSED, m -> events.onClosed(m.body()))
            .completion(),
        bus.<JsonObject>consumer(Addresses.CONNECTION_DATA, m -> events.onData(m.body()))
            .completion(),
        bus.<JsonObject>consumer(Addresses.CONFIG_CHANGED, m -> events.configChanges.add(m.body()))
            .completion())
        .map(v -> events);
  }

  private void onOpened(JsonObject event) {
    String remote = event.getString("remoteAddress");
    int port = Integer.parseInt(remote.substring(remote.lastIndexOf(':') + 1));
    openedPromise(port).tryComplete(event);
  }

  private void onClosed(JsonObject event) {
    closedPromise(event.getLong("id")).tryComplete(event);
  }

  private void onData(JsonObject event) {
    data(event.getLong("id")).add(event);
  }

  private Promise<JsonObject> openedPromise(int peerPort) {
    return openedByPeerPort.computeIfAbsent(peerPort, p -> Promise.promise());
  }

  private Promise<JsonObject> closedPromise(long id) {
    return closedById.computeIfAbsent(id, i -> Promise.promise());
  }

  /** The opened event of {@code client}'s connection. */
  public Future<JsonObject> opened(FrameClient client) {
    return openedPromise(client.localPort()).future();
  }

  /** The connection id the server gave {@code client}. */
  public Future<Long> idOf(FrameClient client) {
    return opened(client).map(event -> event.getLong("id"));
  }

  /** The closed event of connection {@code id}. */
  public Future<JsonObject> closed(long id) {
    return closedPromise(id).future();
  }

  /** Whether a closed event for {@code id} has arrived. */
  public boolean hasClosed(long id) {
    Promise<JsonObject> p = closedById.get(id);
    return p != null && p.future().isComplete();
  }

  /** The data events of connection {@code id}, in arrival order. */
  public Arrivals<JsonObject> data(long id) {
    return dataById.computeIfAbsent(id, i -> new Arrivals<>());
  }

  /** Configuration changes published by the service, in arrival order. */
  public Arrivals<JsonObject> configChanges() {
    return configChanges;
  }
}
