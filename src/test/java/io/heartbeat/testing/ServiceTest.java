package io.heartbeat.testing;

import io.heartbeat.HeartbeatService;
import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.Commands;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.protocol.FrameType;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the socket-level tests: before each test, subscribes to the service's events and
 * deploys a real service on a random port in the test's Vert.x instance, with
 * {@link TestServices#defaults()} and the test's {@link ServiceSettings}. Subclasses carry a
 * class-level {@code io.vertx.junit5.Timeout}. The extension closes Vert.x after each test,
 * which undeploys the service.
 */
@ExtendWith(VertxExtension.class)
public abstract class ServiceTest {

  /** The running service. */
  protected HeartbeatService service;
  /** Its validated settings. */
  protected HeartbeatConfig config;
  /** Its close window. */
  protected Window window;
  /** Everything it publishes. */
  protected ServiceEvents events;

  private static boolean warmedUp;

  @BeforeEach
  void deployService(Vertx vertx, VertxTestContext ctx, TestInfo info) throws Exception {
    StallLog.install();
    warmUpOnce();
    JsonObject settings = TestServices.settingsFor(info);
    TestServices.config(settings)
        .compose(c -> {
          config = c;
          window = Window.of(c);
          return ServiceEvents.listen(vertx);
        })
        .compose(e -> {
          events = e;
          return TestServices.start(vertx, settings);
        })
        .onComplete(ctx.succeeding(s -> {
          service = s;
          ctx.completeNow();
        }));
  }

  /**
   * Once per JVM, runs every path the tests use (accept, ack, DATA, command, kick, events) in a
   * throwaway Vert.x. The first pass through these paths loads and links hundreds of classes,
   * which on a loaded two-core machine stalls event loops for hundreds of milliseconds: longer
   * than a test window. Blocks the test thread (never an event loop).
   */
  private static synchronized void warmUpOnce() throws Exception {
    if (warmedUp) {
      return;
    }
    warmedUp = true;
    Vertx warm = Vertx.vertx();
    try {
      ServiceEvents events = ServiceEvents.listen(warm).await(10, TimeUnit.SECONDS);
      // A 10 s tick: the cold paths are slow, and no timeout must cut the warm-up short.
      HeartbeatService service = TestServices
          .start(warm, TestServices.defaults().put("tickMs", 10_000))
          .await(10, TimeUnit.SECONDS);
      FrameClient client = FrameClient.connect(warm, service.port()).await(10, TimeUnit.SECONDS);
      long id = events.idOf(client).await(10, TimeUnit.SECONDS);
      client.heartbeat();
      client.send(FrameType.DATA, FrameClient.utf8("warm-up"));
      client.frames().at(0).await(10, TimeUnit.SECONDS);
      events.data(id).at(0).await(10, TimeUnit.SECONDS);
      warm.eventBus().request(Addresses.COMMAND, Commands.send(id, new byte[1]))
          .await(10, TimeUnit.SECONDS);
      warm.eventBus().request(Addresses.COMMAND, Commands.kick(id)).await(10, TimeUnit.SECONDS);
      events.closed(id).await(10, TimeUnit.SECONDS);
      client.closed().await(10, TimeUnit.SECONDS);
    } finally {
      warm.close().await(10, TimeUnit.SECONDS);
    }
  }
}
