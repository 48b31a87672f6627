package io.heartbeat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.HeartbeatService;
import io.heartbeat.bus.Addresses;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.testing.FrameClient;
import io.heartbeat.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class DrainTest {

  @Test
  void drainSaysGoodbyeToEveryoneStopsAcceptingAndClosesStayersAfterTheGrace(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    long graceMs = 300;
    HeartbeatConfig config = HeartbeatConfig.fromJson(new JsonObject()
        .put("port", 0).put("ioEdge", TestServices.ioEdge())
        .put("ioInstances", 2).put("tickMs", 100).put("maxMissed", 100)
        .put("shutdownGraceMs", graceMs).put("shutdownGoodbyesPerSecond", 100));
    Checkpoint closedAsShutdown = ctx.checkpoint(3);
    Checkpoint goodbyes = ctx.checkpoint(3);
    HeartbeatService.start(vertx, config, null, 0).onComplete(ctx.succeeding(service -> {
      int[] closedEvents = {0};
      vertx.eventBus().<JsonObject>consumer(Addresses.CONNECTION_CLOSED, m -> ctx.verify(() -> {
        assertEquals("shutdown", m.body().getString("reason"));
        closedEvents[0]++;
        closedAsShutdown.flag();
      }));
      List<Future<FrameClient>> clients = new ArrayList<>();
      Promise<Void> allOpened = Promise.promise();
      int[] opened = {0};
      vertx.eventBus().consumer(Addresses.CONNECTION_OPENED, m -> {
        if (++opened[0] == 3) {
          allOpened.complete();
        }
      }).completion().onComplete(ctx.succeeding(r -> {
        for (int i = 0; i < 3; i++) {
          clients.add(FrameClient.connect(vertx, service.port()));
        }
      }));
      allOpened.future().compose(v -> Future.all(clients)).onComplete(ctx.succeeding(all -> {
        for (int i = 0; i < 3; i++) {
          FrameClient client = clients.get(i).result();
          boolean leaves = i < 2;
          client.onFrame(f -> ctx.verify(() -> {
            assertEquals(FrameType.GOODBYE, f.type());
            assertEquals("shutdown", f.text());
            goodbyes.flag();
            if (leaves) {
              client.close();
            }
          }));
        }
        long started = System.nanoTime();
        Promise<Void> stayerClosed = Promise.promise();
        clients.get(2).result().closed().<Void>mapEmpty().onComplete(stayerClosed);
        // The drain completes once the server has closed every connection (the closed events
        // are published on the same loop before it completes).
        service.drain().onComplete(ctx.succeeding(v -> vertx.runOnContext(x -> ctx.verify(() ->
            assertEquals(3, closedEvents[0], "drain ended before every connection closed")))));
        stayerClosed.future().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          long ms = (System.nanoTime() - started) / 1_000_000;
          assertTrue(ms >= graceMs, "the client that stayed was closed after " + ms + " ms");
        })));
        // Not accepting any more: a new connection is closed at once, without an opened event.
        vertx.setTimer(50, t -> FrameClient.connect(vertx, service.port())
            .onComplete(ctx.succeeding(late -> late.closed()
                .onComplete(ctx.succeeding(v -> ctx.verify(() ->
                    assertTrue(late.frames().size() == 0, "the late client was served")))))));
      }));
    }));
  }
}
