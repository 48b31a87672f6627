package io.heartbeat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.HeartbeatService;
import io.heartbeat.bus.Addresses;
import io.heartbeat.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client against a service that does not ack heartbeats (ackHeartbeats=false). With probing
 * on, the client's one-unanswered-heartbeat rule lets the service probe it, so a live service is
 * heard from in every window and a dead one is still judged; with probing off there is nothing to
 * hear, which the last two tests pin down as documented.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class AcksOffClientTest {

  private static final long TICK_MS = TestServices.TICK_MS;
  private static final int PROBE_AFTER_MISSED = 1;
  /** A service window of 400 ms: wide enough for a cold JVM's first stalls on a busy machine. */
  private static final int MAX_MISSED = 8;
  private static final long INTERVAL_MS = TICK_MS;
  /**
   * Above interval + (probeAfterMissed + 1) x tick (150 ms), the longest the service can stay
   * quiet towards a live client, with room for the stalls of a busy machine.
   */
  private static final long SERVER_TIMEOUT_MS = 600;
  private static final int WINDOWS = 6;

  private final List<HeartbeatClient> clients = new ArrayList<>();

  @AfterEach
  void closeClients(VertxTestContext ctx) {
    List<Future<Void>> closing = new ArrayList<>();
    clients.forEach(c -> closing.add(c.close()));
    Future.all(closing).onComplete(ctx.succeedingThenComplete());
  }

  private static Future<HeartbeatService> service(Vertx vertx, boolean probing) {
    return service(vertx, probing, MAX_MISSED);
  }

  private static Future<HeartbeatService> service(Vertx vertx, boolean probing, int maxMissed) {
    JsonObject settings = TestServices.defaults().put("ioInstances", 1)
        .put("maxMissed", maxMissed).put("ackHeartbeats", false).put("probeEnabled", probing)
        .put("probeAfterMissed", PROBE_AFTER_MISSED).put("configScanMs", 0);
    return TestServices.start(vertx, settings);
  }

  private HeartbeatClient client(Vertx vertx, int port, long serverTimeoutMs) {
    HeartbeatClient client = HeartbeatClient.create(vertx, new HeartbeatClientOptions()
        .setHost("127.0.0.1").setPort(port).setHeartbeatIntervalMs(INTERVAL_MS)
        .setServerTimeoutMs(serverTimeoutMs).setReconnectInitialDelayMs(10)
        .setReconnectMaxDelayMs(10));
    clients.add(client);
    return client;
  }

  @Test
  void aLiveServerThatProbesInsteadOfAckingKeepsTheClientOverManyWindows(Vertx vertx,
      VertxTestContext ctx) {
    vertx.eventBus().consumer(Addresses.CONNECTION_CLOSED,
        m -> ctx.failNow("the service closed the client: " + m.body()));
    service(vertx, true).onComplete(ctx.succeeding(s -> {
      HeartbeatClient client = client(vertx, s.port(), SERVER_TIMEOUT_MS);
      client.disconnectedHandler(r -> ctx.failNow("the client dropped a live link: " + r));
      client.ackHandler(b -> ctx.failNow("the service acked with acks off"));
      client.connect().onComplete(ctx.succeeding(v -> vertx.setTimer(WINDOWS * SERVER_TIMEOUT_MS,
          t -> ctx.verify(() -> {
            assertTrue(client.isConnected());
            long probes = client.probesAnswered();
            assertTrue(probes >= WINDOWS, "probes answered in " + WINDOWS + " windows: " + probes);
            ctx.completeNow();
          }))));
    }));
  }

  @Test
  void aBlackholedServerThatProbesInsteadOfAckingIsStillJudgedDead(Vertx vertx,
      VertxTestContext ctx) {
    service(vertx, true).compose(s -> FaultProxy.start(vertx, s.port()))
        .onComplete(ctx.succeeding(proxy -> {
          HeartbeatClient client = client(vertx, proxy.port(), SERVER_TIMEOUT_MS);
          long[] blackholedAt = {0};
          client.disconnectedHandler(reason -> ctx.verify(() -> {
            long ms = (System.nanoTime() - blackholedAt[0]) / 1_000_000;
            assertTrue(blackholedAt[0] != 0, "disconnected before the blackhole: " + reason);
            assertEquals(DisconnectReason.Kind.SERVER_TIMEOUT, reason.kind(), reason.toString());
            assertTrue(ms <= SERVER_TIMEOUT_MS + 300, "judged dead only after " + ms + " ms");
            ctx.completeNow();
          }));
          client.connect().onComplete(ctx.succeeding(v -> vertx.setTimer(2 * SERVER_TIMEOUT_MS,
              t -> {
                ctx.verify(() -> assertTrue(client.probesAnswered() > 0, "no probe before"));
                blackholedAt[0] = System.nanoTime();
                proxy.mode(FaultProxy.Mode.BLACKHOLE, 0);
              })));
        }));
  }

  @Test
  void sendsNoSecondHeartbeatWhileTheFirstIsUnanswered(Vertx vertx, VertxTestContext ctx) {
    FrameLog seen = new FrameLog();
    NetServer mute = vertx.createNetServer();
    int[] connections = {0};
    mute.connectHandler(socket -> {
      if (++connections[0] > 1) {
        return;  // the reconnect after the verdict is not part of this test
      }
      socket.handler(seen::feed);
      socket.closeHandler(v -> ctx.verify(() -> {
        // SERVER_TIMEOUT_MS is 12 heartbeat intervals: a client that ignored the rule would
        // have sent about 12.
        assertEquals(1, seen.count(0), "heartbeats sent to a server that never answered");
        assertEquals(List.of(ClientSession.GOODBYE_SERVER_TIMEOUT), seen.goodbyes());
        ctx.completeNow();
      }));
    });
    mute.listen(0, "127.0.0.1").onComplete(ctx.succeeding(server -> client(vertx,
        server.actualPort(), SERVER_TIMEOUT_MS).connect().onComplete(ctx.succeeding(v -> { }))));
  }

  @Test
  void aClientThatDoesNotJudgeStaysWithAServerThatNeitherAcksNorProbes(Vertx vertx,
      VertxTestContext ctx) {
    // What is shown is that such a client keeps heartbeating without answers: a 1 s service
    // window, as a busy machine was seen to delay a cold client's timers by 850 ms.
    int maxMissed = 20;
    vertx.eventBus().consumer(Addresses.CONNECTION_CLOSED,
        m -> ctx.failNow("the service closed the client: " + m.body()));
    service(vertx, false, maxMissed).onComplete(ctx.succeeding(s -> {
      HeartbeatClient client = client(vertx, s.port(), 0);
      client.disconnectedHandler(r -> ctx.failNow("disconnected: " + r));
      long serviceWindowMs = maxMissed * TICK_MS;
      client.connect().onComplete(ctx.succeeding(v -> vertx.setTimer(4 * serviceWindowMs,
          t -> ctx.verify(() -> {
            assertTrue(client.isConnected());
            ctx.completeNow();
          }))));
    }));
  }

  @Test
  void aClientThatJudgesCannotTellASilentServerThatNeitherAcksNorProbesFromADeadOne(Vertx vertx,
      VertxTestContext ctx) {
    service(vertx, false).onComplete(ctx.succeeding(s -> {
      HeartbeatClient client = client(vertx, s.port(), SERVER_TIMEOUT_MS);
      client.disconnectedHandler(reason -> ctx.verify(() -> {
        // Nothing comes back from such a service: either the client's timeout or the service's
        // own close of a client that fell silent after its unanswered heartbeat ends the link.
        assertTrue(reason.kind() == DisconnectReason.Kind.SERVER_TIMEOUT
            || reason.isGoodbye(DisconnectReason.GOODBYE_TIMEOUT), reason.toString());
        ctx.completeNow();
      }));
      client.connect().onComplete(ctx.succeeding(v -> { }));
    }));
  }
}
