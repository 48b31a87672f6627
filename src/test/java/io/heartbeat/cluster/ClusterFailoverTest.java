package io.heartbeat.cluster;

import static io.heartbeat.cluster.TestCluster.FAILOVER_MS;
import static io.heartbeat.cluster.TestCluster.MAX_MISSED;
import static io.heartbeat.cluster.TestCluster.SLACK_MS;
import static io.heartbeat.cluster.TestCluster.TICK_MS;
import static io.heartbeat.cluster.TestCluster.WINDOW_MS;
import static io.heartbeat.cluster.TestCluster.monitorsAre;
import static io.heartbeat.cluster.TestCluster.viewReaches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.Hello;
import java.nio.ByteOrder;
import io.heartbeat.cluster.TestCluster.Node;
import io.heartbeat.testing.FrameClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Monitors joining and leaving while connections are live, and the loss of the I/O node: I/O
 * on A; monitors on B, then on B and C, then on C alone. One cluster for the class (forming
 * one costs seconds), changed by each test as its name says, so the tests run in order.
 * Healthy clients stay connected across the tests and are never closed until A is lost.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ClusterFailoverTest {

  /** A silent connection is closed this long after its last frame at the latest. */
  private static final long BOUND_MS = WINDOW_MS + TICK_MS + FAILOVER_MS + TICK_MS + SLACK_MS;

  private static TestCluster cluster;
  private static Node io;
  private static Node b;
  private static Node c;
  private static Vertx clients;
  private static ConnectionWatch watch;
  private static final Map<Long, FrameClient> LIVE = new ConcurrentHashMap<>();

  @BeforeAll
  static void formCluster() throws Exception {
    cluster = new TestCluster(3);
    io = cluster.start("A", "IO");
    b = cluster.start("B", "MONITOR");
    viewReaches(io, monitorsAre(b)).await(20, TimeUnit.SECONDS);
    clients = Vertx.vertx();
    watch = ConnectionWatch.on(io.vertx);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    watch.close();
    clients.close().await(10, TimeUnit.SECONDS);
    cluster.close();
  }

  @Test
  @Order(1)
  void aJoiningMonitorTakesItsShareWithoutClosingALiveConnection(VertxTestContext ctx)
      throws Exception {
    c = cluster.join("C", "MONITOR");
    openLive(6);
    Map<Long, FrameClient> silent = open(8, false);

    c.startService();
    viewReaches(io, monitorsAre(b, c)).await(10, TimeUnit.SECONDS);

    assertTrue(silent.keySet().stream().anyMatch(id -> ownedBy(id, c)),
        "no silent connection was handed over to the new monitor");
    expectClosedInTimeAndNoLiveClosed(ctx, silent);
  }

  @Test
  @Order(2)
  void aStoppedMonitorsConnectionsAreTakenOverWithoutAFalseClose(VertxTestContext ctx)
      throws Exception {
    openLive(6);
    Map<Long, FrameClient> silent = open(8, false);
    assertTrue(silent.keySet().stream().anyMatch(id -> ownedBy(id, b)),
        "no silent connection is tracked by the monitor about to stop");
    // Sessions of 1, 2 and 3 ticks: each must be closed in its own window, rebuilt from the
    // intervals that come with the I/O node's snapshot, none early.
    Map<Long, Integer> sessionTicks = new ConcurrentHashMap<>();
    Map<Long, FrameClient> sessions = openSessions(sessionTicks);
    assertTrue(sessions.keySet().stream().anyMatch(id -> ownedBy(id, b)),
        "no silent session is tracked by the monitor about to stop");

    // Halfway through their window, B goes: C must finish the job without resetting clocks.
    clients.setTimer(WINDOW_MS / 2, t -> b.stop().onFailure(ctx::failNow));
    expectSessionsClosedInTheirOwnWindows(ctx, sessions, sessionTicks);
    expectClosedInTimeAndNoLiveClosed(ctx, silent);
  }

  /** Two silent sessions each of 1, 2 and 3 ticks, on A. */
  private static Map<Long, FrameClient> openSessions(Map<Long, Integer> ticks) throws Exception {
    Map<Long, FrameClient> byId = new ConcurrentHashMap<>();
    for (int k = 1; k <= 3; k++) {
      for (int i = 0; i < 2; i++) {
        FrameClient client = FrameClient.connect(clients, io.port()).await(5, TimeUnit.SECONDS);
        client.send(FrameType.HELLO, new Hello((int) (k * TICK_MS), "failover-" + k + "-" + i,
            "").payload(ByteOrder.LITTLE_ENDIAN));
        FrameClient.Frame welcome = client.frames().at(0).await(5, TimeUnit.SECONDS);
        assertEquals(FrameType.WELCOME, welcome.type(), welcome.toString());
        long id = watch.idOf(client).await(5, TimeUnit.SECONDS);
        byId.put(id, client);
        ticks.put(id, k);
      }
    }
    return byId;
  }

  /**
   * Each silent session is closed for timeout no earlier than maxMissed x k ticks after its
   * HELLO and no later than that plus the failover bound.
   */
  private static void expectSessionsClosedInTheirOwnWindows(VertxTestContext ctx,
      Map<Long, FrameClient> sessions, Map<Long, Integer> ticks) {
    Checkpoint closedInTime = ctx.checkpoint(sessions.size());
    sessions.forEach((id, client) -> watch.closedEvent(id)
        .onComplete(ctx.succeeding(event -> ctx.verify(() -> {
          int k = ticks.get(id);
          long window = WINDOW_MS * k;
          long bound = BOUND_MS - WINDOW_MS + window;
          long silentMs = (System.nanoTime() - client.lastFrameSentNanos()) / 1_000_000;
          assertEquals(LifecycleEvents.TIMEOUT, event.getString("reason"), event.encode());
          assertEquals(MAX_MISSED * k, event.getInteger("missedTicks"), event.encode());
          assertTrue(event.getLong("sinceLastFrameMs") >= window, "session of " + k
              + " ticks closed early: " + event.encode());
          assertTrue(silentMs <= bound, "session " + id + " of " + k + " ticks closed "
              + silentMs + " ms after its HELLO; bound " + bound + " ms");
          closedInTime.flag();
        }))));
  }

  @Test
  @Order(3)
  void connectionsOfALostIoNodeAreReportedClosedWithReasonNodeLost(VertxTestContext ctx)
      throws Exception {
    viewReaches(c, monitorsAre(c)).await(10, TimeUnit.SECONDS);
    Set<Long> open = ConcurrentHashMap.newKeySet();
    LIVE.forEach((id, client) -> {
      if (!client.isClosed()) {
        open.add(id);
      }
    });
    assertEquals(LIVE.size(), open.size(), "a live connection was closed earlier");
    Checkpoint reported = ctx.checkpoint(open.size());
    MessageConsumer<JsonObject> closes = c.vertx.eventBus().consumer(
        Addresses.CONNECTION_CLOSED, m -> ctx.verify(() -> {
          JsonObject event = m.body();
          assertEquals(LifecycleEvents.NODE_LOST, event.getString("reason"), event.encode());
          assertTrue(open.remove(event.getLong("id")), "unexpected or repeated " + event.encode());
          assertNull(event.getString("remoteAddress"));
          reported.flag();
        }));
    closes.completion().await(10, TimeUnit.SECONDS);

    // A crash as the cluster sees it: A's Hazelcast member vanishes without a goodbye.
    io.manager.getHazelcastInstance().getLifecycleService().terminate();
  }

  private static boolean ownedBy(long id, Node monitor) {
    MonitorRef owner = io.view().ownerOf(id);
    return owner != null && owner.id().equals(monitor.monitorId());
  }

  private static void openLive(int n) throws Exception {
    LIVE.putAll(open(n, true));
  }

  /** Opens n clients on A: live ones heartbeat every half tick, silent ones send one frame. */
  private static Map<Long, FrameClient> open(int n, boolean live) throws Exception {
    Map<Long, FrameClient> byId = new ConcurrentHashMap<>();
    for (int i = 0; i < n; i++) {
      FrameClient client = FrameClient.connect(clients, io.port()).await(5, TimeUnit.SECONDS);
      if (live) {
        client.heartbeatEvery(TICK_MS / 2);
      } else {
        client.heartbeat();
      }
      byId.put(watch.idOf(client).await(5, TimeUnit.SECONDS), client);
    }
    return byId;
  }

  /**
   * Every silent client is closed for timeout no earlier than the window and no later than
   * {@link #BOUND_MS} after its last frame; one window after the last of them, no live client
   * has been closed.
   */
  private static void expectClosedInTimeAndNoLiveClosed(VertxTestContext ctx,
      Map<Long, FrameClient> silent) {
    Checkpoint closedInTime = ctx.checkpoint(silent.size());
    Checkpoint liveKept = ctx.checkpoint();
    List<Future<JsonObject>> all = new ArrayList<>();
    silent.forEach((id, client) -> all.add(watch.closedEvent(id)
        .onComplete(ctx.succeeding(event -> ctx.verify(() -> {
          long silentMs = (System.nanoTime() - client.lastFrameSentNanos()) / 1_000_000;
          assertEquals(LifecycleEvents.TIMEOUT, event.getString("reason"), event.encode());
          assertTrue(event.getLong("sinceLastFrameMs") >= WINDOW_MS, event.encode());
          assertTrue(silentMs <= BOUND_MS, "connection " + id + " closed " + silentMs
              + " ms after its last frame; bound " + BOUND_MS + " ms");
          closedInTime.flag();
        })))));
    Future.all(all).onSuccess(v -> clients.setTimer(WINDOW_MS, t -> ctx.verify(() -> {
      LIVE.forEach((id, client) -> {
        assertFalse(watch.sawClose(id), "live connection " + id + " closed");
        assertFalse(client.isClosed(), "live connection " + id + " closed");
      });
      liveKept.flag();
    })));
  }
}
