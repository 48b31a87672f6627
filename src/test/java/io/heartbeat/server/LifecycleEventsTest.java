package io.heartbeat.server;

import static io.heartbeat.testing.FrameClient.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.testing.FrameClient;
import io.heartbeat.testing.FrameClient.Frame;
import io.heartbeat.testing.ServiceSettings;
import io.heartbeat.testing.ServiceTest;
import io.vertx.core.Future;
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

/**
 * The opened and closed events the application sees, and the shutdown goodbye. The tick is
 * 10 s: no timeout can close a connection during a test.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
@ServiceSettings("tickMs=10000")
class LifecycleEventsTest extends ServiceTest {

  @Test
  void publishesOpenedThenPeerClosedWhenTheClientCloses(Vertx vertx, VertxTestContext ctx) {
    Checkpoint openedThenClosed = ctx.checkpoint();
    long before = System.currentTimeMillis();
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client ->
        events.opened(client).onComplete(ctx.succeeding(opened -> {
          long after = System.currentTimeMillis();
          long id = opened.getLong("id");
          ctx.verify(() -> {
            assertEquals(client.localAddress(), opened.getString("remoteAddress"));
            assertEquals(client.remoteAddress(), opened.getString("localAddress"));
            long openedAt = opened.getLong("openedAt");
            assertTrue(openedAt >= before && openedAt <= after,
                "openedAt " + openedAt + " is the accept's wall-clock time");
          });
          client.close();
          events.closed(id).onComplete(ctx.succeeding(closed -> ctx.verify(() -> {
            assertEquals(LifecycleEvents.PEER_CLOSED, closed.getString("reason"));
            assertEquals(id, closed.getLong("id"));
            assertEquals(client.localAddress(), closed.getString("remoteAddress"));
            assertTrue(closed.getLong("openForMs") >= 0);
            assertTrue(closed.getLong("sinceLastFrameMs") >= 0);
            assertTrue(closed.getInteger("missedTicks") >= 0
                && closed.getInteger("missedTicks") <= config.maxMissed());
            openedThenClosed.flag();
          })));
        }))));
  }

  @Test
  void reportsPeerClosedForAClientThatSaysGoodbyeFirst(Vertx vertx, VertxTestContext ctx) {
    Checkpoint closed = ctx.checkpoint();
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client ->
        events.idOf(client).onComplete(ctx.succeeding(id -> {
          client.send(FrameType.GOODBYE, utf8("leaving"));
          client.close();
          events.closed(id).onComplete(ctx.succeeding(event -> ctx.verify(() -> {
            assertEquals(LifecycleEvents.PEER_CLOSED, event.getString("reason"));
            assertEquals(0, client.bytesReceived(), "the server answers a GOODBYE with nothing");
            closed.flag();
          })));
        }))));
  }

  @Test
  void shutdownSendsGoodbyeShutdownToEveryConnection(Vertx vertx, VertxTestContext ctx) {
    int clients = 4;
    Checkpoint stopped = ctx.checkpoint();
    List<Future<FrameClient>> connected = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      connected.add(FrameClient.connect(vertx, service.port())
          .compose(c -> events.idOf(c).map(id -> c)));
    }
    Future.all(connected).onComplete(ctx.succeeding(all -> {
      List<FrameClient> list = all.list();
      List<Future<?>> outcome = new ArrayList<>();
      List<Long> ids = new ArrayList<>();
      for (FrameClient c : list) {
        long id = events.idOf(c).result();
        ids.add(id);
        outcome.add(c.closed());
        outcome.add(events.closed(id));
      }
      outcome.add(service.stop());
      Future.all(outcome).onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        for (FrameClient c : list) {
          assertEquals(List.of(new Frame(FrameType.GOODBYE, utf8("shutdown"))),
              c.frames().snapshot(), "GOODBYE \"shutdown\" before the close");
        }
        for (long id : ids) {
          assertEquals(LifecycleEvents.SHUTDOWN, events.closed(id).result().getString("reason"));
        }
        stopped.flag();
      })));
    }));
  }
}
