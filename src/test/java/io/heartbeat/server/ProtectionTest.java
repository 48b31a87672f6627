package io.heartbeat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.HeartbeatService;
import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.Commands;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.testing.FrameClient;
import io.heartbeat.testing.TestServices;
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
    return HeartbeatService.start(vertx, HeartbeatConfig.fromJson(settings
        .put("port", 0).put("ioEdge", TestServices.ioEdge())
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
            FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(c ->
                // Half a header: bytes, but no complete frame.
                c.writeRaw(new byte[] {0, 0, 0})));
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
          FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(c ->
              c.send(FrameType.HEARTBEAT, null)));
        }));
  }

  /** Held until the test ends: an unreachable socket is closed by the JDK's cleaner. */
  private final java.util.List<java.net.Socket> peers = new java.util.ArrayList<>();

  /** A plain socket with a 4 KiB receive buffer that never reads (classic C clients). */
  private Future<java.net.Socket> nonReadingPeer(Vertx vertx, int port) {
    return vertx.executeBlocking(() -> {
      java.net.Socket peer = new java.net.Socket();
      peer.setReceiveBufferSize(4096);
      peer.connect(new java.net.InetSocketAddress("127.0.0.1", port));
      synchronized (peers) {
        peers.add(peer);
      }
      return peer;
    });
  }

  @org.junit.jupiter.api.AfterEach
  void closePeers() throws java.io.IOException {
    synchronized (peers) {
      for (java.net.Socket peer : peers) {
        peer.close();
      }
    }
  }

  @Test
  void closesAPeerThatDoesNotReadApplicationDataAsSlowConsumer(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    start(vertx, new JsonObject().put("tickMs", 50).put("maxMissed", 100)
        .put("maxPendingWriteBytes", 4096)).onComplete(ctx.succeeding(service -> {
          vertx.eventBus().<JsonObject>consumer(Addresses.CONNECTION_CLOSED, m -> ctx.verify(() -> {
            assertEquals("slow-consumer", m.body().getString("reason"));
            ctx.completeNow();
          }));
          vertx.eventBus().<JsonObject>consumer(Addresses.CONNECTION_OPENED, m -> {
            long id = m.body().getLong("id");
            // The application keeps sending 60 kB of DATA that the peer never reads; a send that
            // finds the queue full is refused (503) and marks the peer.
            vertx.setPeriodic(5, t -> vertx.eventBus().request(Addresses.COMMAND,
                Commands.send(id, new byte[60_000])));
          });
          nonReadingPeer(vertx, service.port()).onComplete(ctx.succeeding(peer -> { }));
        }));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void keepsAHeartbeatingPeerThatNeverReadsItsAcks(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    long tickMs = 20;
    // A window of 50 ticks: this test is about unread acks, not about the liveness window, and
    // a blocking writer on a busy machine can miss a 100 ms window.
    start(vertx, new JsonObject().put("tickMs", tickMs).put("maxMissed", 50)
        .put("maxPendingWriteBytes", 4096)).onComplete(ctx.succeeding(service -> {
          vertx.eventBus().<JsonObject>consumer(Addresses.CONNECTION_CLOSED, m -> ctx.failNow(
              new AssertionError("a peer that heartbeats must stay open: " + m.body())));
          // 4 kB acks: unread, they fill the kernel's buffers and the write queue within
          // seconds; queued, they would get the peer closed as a slow consumer.
          vertx.eventBus().<JsonObject>consumer(Addresses.CONNECTION_OPENED, m ->
              vertx.eventBus().request(Addresses.COMMAND,
                  Commands.setAckPayload(m.body().getLong("id"), new byte[4096])));
          nonReadingPeer(vertx, service.port()).onComplete(ctx.succeeding(peer -> {
            byte[] heartbeat = new byte[8];
            vertx.setPeriodic(tickMs, t -> vertx.executeBlocking(() -> {
              peer.getOutputStream().write(heartbeat);
              return null;
            }));
            vertx.setTimer(30_000, t -> ctx.verify(() -> {
              double received = service.metrics().registry()
                  .find("heartbeat.heartbeats.received").functionCounter().count();
              double acked = service.metrics().registry().find("heartbeat.acks.sent")
                  .functionCounter().count();
              assertTrue(received >= 30_000 / tickMs / 2, received + " heartbeats arrived");
              // The kernel's buffers and the write queue filled: later acks were dropped instead
              // of queued (the kernel on loopback takes a few MB first).
              assertTrue(acked < received, acked + " of " + received + " acked");
              ctx.completeNow();
            }));
          }));
        }));
  }
}
