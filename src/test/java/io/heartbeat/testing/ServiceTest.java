package io.heartbeat.testing;

import io.heartbeat.HeartbeatService;
import io.heartbeat.config.HeartbeatConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
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

  @BeforeEach
  void deployService(Vertx vertx, VertxTestContext ctx, TestInfo info) throws Exception {
    StallLog.install();
    JvmWarmUp.once();
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
}
