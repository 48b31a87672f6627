package io.heartbeat.conformance;

import io.heartbeat.HeartbeatService;
import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.Commands;
import io.heartbeat.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/** The service started in this JVM ({@link TestServices}); commands go over its event bus. */
final class InProcessServer implements ServerDriver {

  private final Vertx vertx;
  private final JsonObject settings;
  private HeartbeatService service;
  private volatile long newestConnection = -1;
  /** Completes at the first opened event: the client may see its ack before it arrives. */
  private final Promise<Void> firstOpened = Promise.promise();

  InProcessServer(Vertx vertx, JsonObject scenarioSettings) throws Exception {
    this.vertx = vertx;
    this.settings = TestServices.defaults().mergeIn(scenarioSettings);
    await(vertx.eventBus().<JsonObject>consumer(Addresses.CONNECTION_OPENED,
        m -> {
          newestConnection = m.body().getLong("id");
          firstOpened.tryComplete();
        }).completion());
    start();
    settings.put("port", service.port());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Override
  public int port() {
    return service.port();
  }

  /** The newest connection, waiting (bounded) for the service's first opened event. */
  private long newest() throws Exception {
    await(firstOpened.future());
    return newestConnection;
  }

  @Override
  public void kick() throws Exception {
    await(vertx.eventBus().request(Addresses.COMMAND, Commands.kick(newest())));
  }

  @Override
  public void sendData(int bytes) throws Exception {
    await(vertx.eventBus().request(Addresses.COMMAND, Commands.send(newest(), new byte[bytes])));
  }

  @Override
  public void stop() throws Exception {
    await(service.stop());
  }

  @Override
  public void start() throws Exception {
    service = await(TestServices.start(vertx, settings));
  }

  @Override
  public void signal(String name) {
    throw new UnsupportedOperationException("signals need the service in a process of its own"
        + " (scenario \"process\": true)");
  }

  @Override
  public void close() {
    try {
      await(service.stop());
    } catch (Exception e) {
      // Already stopped by the scenario.
    }
  }
}
