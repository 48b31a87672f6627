package io.heartbeat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client library's dead-server detection and reconnect, driven by a fault proxy. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class FaultProxyClientTest {

  private static final long SERVER_TIMEOUT_MS = 400;
  private static final long INITIAL_DELAY_MS = 20;

  private FaultProxy proxy;
  private HeartbeatClient client;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    HeartbeatClientTest.startService(vertx, 0)
        .compose(service -> FaultProxy.start(vertx, service.port()))
        .onComplete(ctx.succeeding(p -> {
          proxy = p;
          client = HeartbeatClient.create(vertx, new HeartbeatClientOptions()
              .setHost("127.0.0.1").setPort(p.port()).setHeartbeatIntervalMs(50)
              .setServerTimeoutMs(SERVER_TIMEOUT_MS).setReconnectInitialDelayMs(INITIAL_DELAY_MS)
              .setReconnectMaxDelayMs(200).setShutdownJitterMs(100), new Random(3)::nextDouble);
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    client.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void slicedBytesAndLatencyBelowTheTimeoutKeepTheLinkHealthy(VertxTestContext ctx) {
    proxy.mode(FaultProxy.Mode.SLICE, 0);
    AtomicInteger acks = new AtomicInteger();
    client.disconnectedHandler(r -> ctx.failNow(new AssertionError("disconnected: " + r)));
    client.ackHandler(b -> {
      int n = acks.incrementAndGet();
      if (n == 5) {
        proxy.mode(FaultProxy.Mode.LATENCY, SERVER_TIMEOUT_MS / 4);
      } else if (n == 12) {
        ctx.completeNow();
      }
    });
    client.connect().onComplete(ctx.succeeding(v -> { }));
  }

  @Test
  void blackholedServerIsJudgedDeadAndTheClientComesBackWhenTheLinkHeals(Vertx vertx,
      VertxTestContext ctx) {
    Checkpoint reconnected = ctx.checkpoint();
    AtomicInteger connects = new AtomicInteger();
    long[] blackholedAt = {0};
    client.connectedHandler(v -> {
      if (connects.incrementAndGet() == 1) {
        blackholedAt[0] = System.nanoTime();
        proxy.mode(FaultProxy.Mode.BLACKHOLE, 0);
      } else {
        reconnected.flag();
      }
    });
    client.disconnectedHandler(reason -> ctx.verify(() -> {
      long ms = (System.nanoTime() - blackholedAt[0]) / 1_000_000;
      assertEquals(DisconnectReason.Kind.SERVER_TIMEOUT, reason.kind(), reason.toString());
      assertTrue(ms >= SERVER_TIMEOUT_MS, "judged dead after " + ms + " ms");
      assertTrue(ms <= SERVER_TIMEOUT_MS + 300, "judged dead only after " + ms + " ms");
      proxy.mode(FaultProxy.Mode.PASS, 0);
    }));
    client.connect().onComplete(ctx.succeeding(v -> { }));
  }

  @Test
  void resetLinkIsReportedAndReconnectedWithinTheFirstBackoffStep(VertxTestContext ctx) {
    Checkpoint reconnected = ctx.checkpoint();
    AtomicInteger connects = new AtomicInteger();
    AtomicInteger acks = new AtomicInteger();
    client.connectedHandler(v -> {
      if (connects.incrementAndGet() == 2) {
        reconnected.flag();
      }
    });
    // Reset once the first link carries an ack (so the proxy's upstream side exists too).
    client.ackHandler(b -> {
      if (acks.incrementAndGet() == 1) {
        proxy.resetAll();
      }
    });
    client.reconnectScheduledHandler(scheduled -> ctx.verify(() -> {
      // Full jitter: the first attempt waits between 0 and the initial delay.
      assertEquals(1, scheduled.attempt(), scheduled.toString());
      assertTrue(scheduled.delayMs() >= 0 && scheduled.delayMs() <= INITIAL_DELAY_MS,
          scheduled.toString());
    }));
    client.disconnectedHandler(reason -> ctx.verify(() ->
        assertTrue(reason.kind() == DisconnectReason.Kind.PEER_CLOSED
            || reason.kind() == DisconnectReason.Kind.IO_ERROR, reason.toString())));
    client.connect().onComplete(ctx.succeeding(v -> { }));
  }
}
