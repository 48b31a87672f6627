package io.heartbeat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.testing.CClient;
import io.heartbeat.testing.NamespaceLink;
import io.heartbeat.testing.ServiceProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A half-open connection: the client's link goes down (pulled cable, dead NAT), so no FIN or
 * RST ever reaches the service. The client runs in a network namespace the test makes, joined
 * to the service's host by a veth pair; the test takes the namespace's end down.
 */
@Tag("service-process")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class HalfOpenLinkTest {

  private NamespaceLink link;
  private ServiceProcess server;
  private CClient client;

  @BeforeAll
  static void build() throws Exception {
    CClient.buildForTest();
  }

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    if (link != null) {
      link.close();
    }
  }

  private Future<ServiceProcess.Close> cutAndAwaitClose(Vertx vertx, Map<String, String> settings,
      long everyMs) throws Exception {
    link = NamespaceLink.forTest();
    Map<String, String> all = new HashMap<>(settings);
    all.put("HEARTBEAT_IO_INSTANCES", "1");
    server = ServiceProcess.start("half-open", all);
    client = CClient.start(server.port(), everyMs, CClient.UNTIL_STOPPED, link.rootAddress,
        link.inside());
    return Future.fromCompletionStage(client.line("ack 3"))
        .compose(acked -> vertx.executeBlocking(() -> {
          link.cut();
          return null;
        }))
        .compose(cut -> Future.fromCompletionStage(server.closeFrom(link.innerAddress)));
  }

  @Test
  void halfOpenConnectionIsClosedInsideTheWindow(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    long tickMs = 100;
    int maxMissed = 5;
    cutAndAwaitClose(vertx, Map.of("HEARTBEAT_TICK_MS", String.valueOf(tickMs),
        "HEARTBEAT_MAX_MISSED", String.valueOf(maxMissed)), tickMs)
        .onComplete(ctx.succeeding(close -> ctx.verify(() -> {
          assertEquals("timeout", close.reason(), close.toString());
          assertTrue(close.sinceLastFrameMs() >= maxMissed * tickMs, "closed early: " + close);
          assertTrue(close.sinceLastFrameMs() <= (maxMissed + 1) * tickMs + tickMs + 100,
              "late: " + close);
          ctx.completeNow();
        })));
  }

  @Test
  void tunedKernelKeepaliveClosesAHalfOpenLinkBeforeTheHeartbeatWindow(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    // Heartbeat window 20 s; kernel keepalive: 1 s idle, 2 probes 1 s apart, so about 3 s.
    cutAndAwaitClose(vertx, Map.of("HEARTBEAT_TICK_MS", "2000", "HEARTBEAT_MAX_MISSED", "10",
        "HEARTBEAT_TCP_KEEP_ALIVE", "true", "HEARTBEAT_TCP_KEEP_ALIVE_IDLE_SECONDS", "1",
        "HEARTBEAT_TCP_KEEP_ALIVE_INTERVAL_SECONDS", "1", "HEARTBEAT_TCP_KEEP_ALIVE_COUNT", "2"),
        500)
        .onComplete(ctx.succeeding(close -> ctx.verify(() -> {
          assertEquals("io-error", close.reason(), "expected the kernel to report the dead"
              + " link: " + close + "; server: " + server.tail());
          assertTrue(close.sinceLastFrameMs() < 20_000, close.toString());
          ctx.completeNow();
        })));
  }
}
