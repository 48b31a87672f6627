package io.heartbeat.cluster;

import io.heartbeat.bus.Addresses;
import io.heartbeat.testing.FrameClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Follows the opened and closed events one node receives (they are published cluster-wide), so
 * a test learns its clients' connection ids and waits for their close events.
 */
final class ConnectionWatch implements AutoCloseable {

  private final Map<String, Promise<Long>> idsByAddress = new ConcurrentHashMap<>();
  private final Map<Long, Promise<JsonObject>> closes = new ConcurrentHashMap<>();
  private final MessageConsumer<JsonObject> opened;
  private final MessageConsumer<JsonObject> closed;

  private ConnectionWatch(Vertx vertx) {
    opened = vertx.eventBus().consumer(Addresses.CONNECTION_OPENED, m ->
        idsByAddress.computeIfAbsent(m.body().getString("remoteAddress"), a -> Promise.promise())
            .tryComplete(m.body().getLong("id")));
    closed = vertx.eventBus().consumer(Addresses.CONNECTION_CLOSED, m ->
        closes.computeIfAbsent(m.body().getLong("id"), a -> Promise.promise())
            .tryComplete(m.body()));
  }

  /** A watch on {@code vertx}'s event bus, once its consumers are registered cluster-wide. */
  static ConnectionWatch on(Vertx vertx) throws Exception {
    ConnectionWatch watch = new ConnectionWatch(vertx);
    Future.all(watch.opened.completion(), watch.closed.completion()).await(10, TimeUnit.SECONDS);
    return watch;
  }

  /** The id of the connection the server opened for this client. */
  Future<Long> idOf(FrameClient client) {
    return idsByAddress.computeIfAbsent(client.localAddress(), a -> Promise.promise()).future();
  }

  /** The first closed event of this connection. */
  Future<JsonObject> closedEvent(long id) {
    return closes.computeIfAbsent(id, k -> Promise.promise()).future();
  }

  boolean sawClose(long id) {
    Promise<JsonObject> p = closes.get(id);
    return p != null && p.future().isComplete();
  }

  @Override
  public void close() {
    try {
      opened.unregister();
      closed.unregister();
    } catch (RuntimeException e) {
      // The node was stopped by the test: its consumers went with it.
    }
  }
}
