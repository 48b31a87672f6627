package io.heartbeat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.testing.CClient;
import io.heartbeat.testing.NamespaceLink;
import io.heartbeat.testing.ServiceProcess;
import io.heartbeat.testing.scenario.VerdictWindow;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A frozen peer keeps its kernel answering TCP: with kernel keepalive tuned to give up on a
 * dead link after about 3 s (idle 1 s, 2 probes 1 s apart), a client process stopped with
 * SIGSTOP is still ESTABLISHED with its keepalive timer cycling 4 s later (ss -tnoi), and it is
 * the heartbeat counter, not the kernel, that closes it: reason "timeout", inside the window
 * after its last frame. Resumed, the client finds the service's GOODBYE "timeout" and the
 * close.
 */
@Tag("service-process")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FrozenPeerTest {

  private static final long TICK_MS = 1000;
  private static final int MAX_MISSED = 5;

  private ServiceProcess server;
  private CClient client;

  @BeforeAll
  static void build() throws Exception {
    CClient.buildForTest();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void kernelKeepsAckingAFrozenPeerSoTheHeartbeatCounterClosesItAndSaysGoodbye(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    server = ServiceProcess.start("frozen-peer", Map.of(
        "HEARTBEAT_TICK_MS", String.valueOf(TICK_MS),
        "HEARTBEAT_MAX_MISSED", String.valueOf(MAX_MISSED), "HEARTBEAT_IO_INSTANCES", "1",
        "HEARTBEAT_TCP_KEEP_ALIVE", "true", "HEARTBEAT_TCP_KEEP_ALIVE_IDLE_SECONDS", "1",
        "HEARTBEAT_TCP_KEEP_ALIVE_INTERVAL_SECONDS", "1", "HEARTBEAT_TCP_KEEP_ALIVE_COUNT", "2"));
    client = CClient.start(server.port(), TICK_MS);
    VerdictWindow window = new VerdictWindow(TICK_MS, MAX_MISSED);
    long[] frozenAt = new long[1];
    Future.fromCompletionStage(client.line("ack 2"))
        .compose(acked -> vertx.executeBlocking(() -> {
          client.signal("STOP");
          frozenAt[0] = System.currentTimeMillis();
          return null;
        }))
        // Kernel keepalive would have given up on a dead link after about 3 s.
        .compose(frozen -> after(vertx, 4_000))
        .compose(v -> vertx.executeBlocking(() -> NamespaceLink.run("ss", "-tnoi", "state",
            "established", "( sport = :" + server.port() + " )")))
        .compose(ss -> {
          ctx.verify(() -> {
            assertTrue(ss.contains("timer:(keepalive"),
                "4 s after the freeze the kernel should still keep the connection established,"
                    + " with its keepalive timer: " + ss);
            assertTrue(server.closes().isEmpty(), "closed before the window: "
                + server.closes());
          });
          return Future.fromCompletionStage(server.closeFrom("127.0.0.1"));
        })
        .compose(close -> {
          ctx.verify(() -> {
            assertEquals("timeout", close.reason(), "the kernel, not the heartbeat counter,"
                + " closed the frozen peer: " + close);
            long upper = window.upperMs(server.stalls(), frozenAt[0] - TICK_MS,
                close.loggedAtMs());
            assertTrue(close.sinceLastFrameMs() >= window.lowerMs(), "closed early: " + close);
            assertTrue(close.sinceLastFrameMs() <= upper, "closed late (> " + upper + "): "
                + close);
            assertFalse(client.lines().stream().anyMatch(l -> l.startsWith("closed")),
                "a frozen client printed: " + client.lines());
          });
          return vertx.executeBlocking(() -> {
            client.signal("CONT");
            return null;
          });
        })
        .compose(resumed -> Future.fromCompletionStage(client.line("closed-after-last-ms")))
        .onComplete(ctx.succeeding(line -> ctx.verify(() -> {
          assertTrue(client.printed("goodbye timeout"), "no GOODBYE: " + client.lines());
          ctx.completeNow();
        })));
  }

  private static Future<Void> after(Vertx vertx, long ms) {
    Promise<Void> elapsed = Promise.promise();
    vertx.setTimer(ms, t -> elapsed.complete());
    return elapsed.future();
  }
}
