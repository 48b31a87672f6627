package io.heartbeat.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.HeartbeatService;
import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.Commands;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.protocol.FrameType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** First-frame timeout and slow consumers, through real sockets. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ProtectionTest {

  private static Future<HeartbeatService> start(Vertx vertx, JsonObject settings) throws Exception {
    return HeartbeatService.start(vertx, HeartbeatConfig.fromJson(settings.put("port", 0)
        .put("ioInstances", 1)), null, 0);
  }

  @Test
  void closesAConnectionThatNeverCompletesAFrameAfterFirstFrameTimeout(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    long firstFrameMs = 150;
    long tickMs = 40;
    start(vertx, new JsonObject().put("tickMs", tickMs).put("maxMissed", 50)
        .put("firstFrameTimeoutMs", firstFrameMs)).onComplete(ctx.succeeding(service -> {
          long[] openedAt = new long[1];
          vertx.eventBus().<JsonObject>consumer(Addresses.CONNECTION_CLOSED, m -> ctx.verify(() -> {
            long after = System.nanoTime() / 1_000_000 - openedAt[0];
            assertEquals("first-frame-timeout", m.body().getString("reason"));
            assertTrue(after >= firstFrameMs, "closed after " + after + " ms");
            // Checked each tick; far earlier than the 2000 ms liveness window.
            assertTrue(after < firstFrameMs + 2 * tickMs + 500, "closed after " + after + " ms");
            ctx.completeNow();
          })).completion().onComplete(ctx.succeeding(v -> {
            openedAt[0] = System.nanoTime() / 1_000_000;
            RawClient.connect(vertx, service.port()).onComplete(ctx.succeeding(c ->
                // Half a header: bytes, but no complete frame.
                c.socket.write(io.vertx.core.buffer.Buffer.buffer(new byte[] {0, 0, 0}))));
          }));
        }));
  }

  @Test
  void keepsAConnectionWhoseFirstFrameArrivedInTime(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    start(vertx, new JsonObject().put("tickMs", 40).put("maxMissed", 10)
        .put("firstFrameTimeoutMs", 100)).onComplete(ctx.succeeding(service -> {
          vertx.eventBus().<JsonObject>consumer(Addresses.CONNECTION_CLOSED, m -> ctx.verify(() -> {
            // The only close allowed is the liveness timeout, after the 400 ms window.
            assertEquals("timeout", m.body().getString("reason"));
            ctx.completeNow();
          }));
          RawClient.connect(vertx, service.port()).onComplete(ctx.succeeding(c ->
              c.send(FrameType.HEARTBEAT, null)));
        }));
  }

  @Test
  void closesAPeerThatStopsReadingAsSlowConsumer(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    start(vertx, new JsonObject().put("tickMs", 50).put("maxMissed", 100)
        .put("maxPendingWriteBytes", 4096)).onComplete(ctx.succeeding(service -> {
          vertx.eventBus().<JsonObject>consumer(Addresses.CONNECTION_CLOSED, m -> ctx.verify(() -> {
            assertEquals("slow-consumer", m.body().getString("reason"));
            ctx.completeNow();
          }));
          vertx.eventBus().<JsonObject>consumer(Addresses.CONNECTION_OPENED, m -> {
            long id = m.body().getLong("id");
            vertx.eventBus().request(Addresses.COMMAND,
                Commands.setAckPayload(id, new byte[60_000])).onComplete(ctx.succeeding(r -> { }));
          });
          // A plain socket that never reads (a paused Vert.x socket also stops flushing its own
          // writes, so it would not keep sending).
          vertx.executeBlocking(() -> {
            java.net.Socket peer = new java.net.Socket();
            peer.setReceiveBufferSize(4096);
            peer.connect(new java.net.InetSocketAddress("127.0.0.1", service.port()));
            return peer;
          }).onComplete(ctx.succeeding(peer -> {
            byte[] heartbeat = new byte[8];
            // Heartbeats keep coming while their 60 kB acks pile up unread.
            vertx.setPeriodic(5, t -> vertx.executeBlocking(() -> {
              peer.getOutputStream().write(heartbeat);
              return null;
            }));
          }));
        }));
  }
}
