package io.heartbeat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.HeartbeatService;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.testing.FrameClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs the embedding example of docs/EMBEDDING.md against a real service and a real socket. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class EchoPresenceExampleTest {

  @Test
  void applicationSeesTheDeviceAnswersItsPingAndHearsItGoOffline(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    // A 5 s liveness window: the device sends one frame and leaves; the verdict is not the point.
    HeartbeatConfig config = HeartbeatConfig.fromJson(new JsonObject().put("host", "127.0.0.1")
        .put("port", 0).put("tickMs", 50).put("maxMissed", 100));
    EchoPresenceVerticle app = new EchoPresenceVerticle();
    vertx.eventBus().<JsonObject>consumer(EchoPresenceVerticle.OFFLINE, m -> ctx.verify(() -> {
      assertEquals("peer-closed", m.body().getString("reason"));
      assertTrue(app.online().isEmpty(), "offline after the close: " + app.online());
      ctx.completeNow();
    }));
    vertx.deployVerticle(app)
        .compose(id -> HeartbeatService.start(vertx, config, new HeartbeatService.Options()))
        .compose(service -> FrameClient.connect(vertx, service.port()))
        .onComplete(ctx.succeeding(device -> {
          device.onFrame(frame -> {
            if (frame.type() == FrameType.DATA) {
              ctx.verify(() -> {
                assertEquals("pong", frame.text());
                assertEquals(1, app.online().size(), "online while connected");
              });
              device.close();
            }
          });
          device.send(FrameType.DATA, "ping".getBytes(StandardCharsets.UTF_8));
        }));
  }
}
