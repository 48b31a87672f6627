package io.heartbeat.cluster;

import static io.heartbeat.cluster.TestCluster.SLACK_MS;
import static io.heartbeat.cluster.TestCluster.TICK_MS;
import static io.heartbeat.cluster.TestCluster.WINDOW_MS;
import static io.heartbeat.cluster.TestCluster.monitorsAre;
import static io.heartbeat.cluster.TestCluster.viewReaches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.Commands;
import io.heartbeat.cluster.TestCluster.Node;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.testing.FrameClient;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * I/O on node A, detection on node B: connections are judged across the cluster, and commands
 * reach them from a node without sockets. One cluster for the class (forming one costs
 * seconds); the last test stops B, so the tests run in order.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ClusterDetectionTest {

  private static final Logger CLUSTER_LOG = (Logger) LoggerFactory.getLogger(ClusterVerticle.class);

  private static TestCluster cluster;
  private static Node io;
  private static Node monitor;
  private static Vertx clients;
  private static ConnectionWatch watch;

  @BeforeAll
  static void formCluster() throws Exception {
    cluster = new TestCluster(3);
    io = cluster.start("A", "IO");
    monitor = cluster.start("B", "MONITOR");
    viewReaches(io, monitorsAre(monitor)).await(20, TimeUnit.SECONDS);
    viewReaches(monitor, monitorsAre(monitor)).await(20, TimeUnit.SECONDS);
    clients = Vertx.vertx();
    // Events are watched on A; test 1 checks that they also cross the cluster to B.
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
  void silentClientOnTheIoNodeIsClosedInTheWindowByTheMonitorNodeAndALiveOneIsKept(
      VertxTestContext ctx) throws Exception {
    FrameClient live = FrameClient.connect(clients, io.port()).await(5, TimeUnit.SECONDS)
        .heartbeatEvery(TICK_MS / 2);
    FrameClient silent = FrameClient.connect(clients, io.port()).await(5, TimeUnit.SECONDS);
    silent.heartbeat();
    long liveId = watch.idOf(live).await(5, TimeUnit.SECONDS);
    long silentId = watch.idOf(silent).await(5, TimeUnit.SECONDS);
    // Seen on B: the closed event crossed the cluster from A.
    ConnectionWatch onB = ConnectionWatch.on(monitor.vertx);

    onB.closedEvent(silentId).onComplete(ctx.succeeding(event -> ctx.verify(() -> {
      long silentMs = (System.nanoTime() - silent.lastFrameSentNanos()) / 1_000_000;
      assertEquals("timeout", event.getString("reason"));
      assertTrue(event.getLong("sinceLastFrameMs") >= WINDOW_MS, event.encode());
      assertTrue(silentMs <= WINDOW_MS + TICK_MS + SLACK_MS, "closed after " + silentMs + " ms");
      // Two more windows: the live client must still be open.
      clients.setTimer(2 * WINDOW_MS, t -> ctx.verify(() -> {
        assertFalse(watch.sawClose(liveId), "live connection closed");
        assertFalse(live.isClosed(), "live connection closed");
        onB.close();
        live.close().onComplete(ctx.succeedingThenComplete());
      }));
    })));
  }

  @Test
  @Order(2)
  void sendSetAckPayloadAndKickReachAConnectionFromANodeWithoutSockets() throws Exception {
    FrameClient client = FrameClient.connect(clients, io.port()).await(5, TimeUnit.SECONDS)
        .heartbeatEvery(TICK_MS / 2);
    long id = watch.idOf(client).await(5, TimeUnit.SECONDS);
    Promise<String> data = Promise.promise();
    Promise<String> ackPayload = Promise.promise();
    Promise<String> goodbye = Promise.promise();
    client.onFrame(f -> {
      if (f.type() == FrameType.DATA) {
        data.tryComplete(f.text());
      } else if (f.type() == FrameType.HEARTBEAT_ACK && f.payload().length > 0) {
        ackPayload.tryComplete(f.text());
      } else if (f.type() == FrameType.GOODBYE) {
        goodbye.tryComplete(f.text());
      }
    });

    command(Commands.send(id, bytes("hello from B")));
    assertEquals("hello from B", data.future().await(5, TimeUnit.SECONDS));
    command(Commands.setAckPayload(id, bytes("ack from B")));
    assertEquals("ack from B", ackPayload.future().await(5, TimeUnit.SECONDS));
    command(Commands.kick(id));
    assertEquals("kicked", goodbye.future().await(5, TimeUnit.SECONDS));
    assertEquals("kicked", watch.closedEvent(id).await(5, TimeUnit.SECONDS).getString("reason"));
    client.closed().await(5, TimeUnit.SECONDS);

    ReplyException gone = assertThrows(ReplyException.class, () -> command(Commands.kick(id)));
    assertEquals(Commands.NOT_FOUND, gone.failureCode());
  }

  @Test
  @Order(3)
  void withNoMonitorTheIoNodeKeepsServingClosesNothingAndSaysSoUntilAMonitorReturns(
      VertxTestContext ctx) throws Exception {
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    CLUSTER_LOG.addAppender(lines);
    try {
      monitor.stop().await(30, TimeUnit.SECONDS);
      viewReaches(io, view -> view.size() == 0).await(10, TimeUnit.SECONDS);
      assertFalse(io.service.isReady(), "ready without any monitor");
      FrameClient silent = FrameClient.connect(clients, io.port()).await(5, TimeUnit.SECONDS);
      Promise<Void> acked = Promise.promise();
      silent.onFrame(f -> {
        if (f.type() == FrameType.HEARTBEAT_ACK) {
          acked.tryComplete();
        }
      });
      silent.heartbeat();
      acked.future().await(5, TimeUnit.SECONDS);

      long silentId = watch.idOf(silent).await(5, TimeUnit.SECONDS);
      Promise<Void> judged = Promise.promise();
      clients.setTimer(3 * WINDOW_MS, t -> ctx.verify(() -> {
        assertFalse(silent.isClosed(), "closed with no monitor to judge it");
        long warnings = lines.list.stream()
            .filter(e -> e.getFormattedMessage().startsWith("No monitor is reachable")).count();
        assertEquals(1, warnings, "one warning for the episode");
        judged.complete();
      }));
      judged.future().await(10, TimeUnit.SECONDS);

      // A monitor comes back: it rebuilds from A and closes the long-silent connection.
      Node returning = cluster.start("C", "MONITOR");
      viewReaches(io, monitorsAre(returning)).await(10, TimeUnit.SECONDS);
      JsonObject closed = watch.closedEvent(silentId).await(5, TimeUnit.SECONDS);
      assertEquals("timeout", closed.getString("reason"));
      assertTrue(io.service.isReady(), "not ready with a monitor back");
      ctx.completeNow();
    } finally {
      CLUSTER_LOG.detachAppender(lines);
    }
  }

  private static void command(JsonObject command) throws Exception {
    monitor.vertx.eventBus().request(Addresses.COMMAND, command).await(5, TimeUnit.SECONDS);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
