package io.heartbeat.faults;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server process itself is stopped (SIGSTOP: a GC pause, VM steal) while its clients keep
 * heartbeating into their sockets. README's own-stall rule: no healthy client is closed, for a
 * stall shorter than the window and for one several windows long.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class ServerStallTest {

  private static final long TICK_MS = 100;
  private static final int MAX_MISSED = 5;
  private static final int CLIENTS = 4;

  private ProcessFixture.Running server;
  private final List<ProcessFixture.Running> clients = new ArrayList<>();

  @BeforeAll
  static void build() throws Exception {
    ProcessFixture.buildClient();
  }

  @AfterEach
  void stop() {
    clients.forEach(ProcessFixture.Running::stop);
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void stallShorterThanTheWindowClosesNoHealthyClient(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    stallAndCheck(vertx, ctx, (MAX_MISSED - 1) * TICK_MS);
  }

  @Test
  void stallOfThreeWindowsClosesNoHealthyClient(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    stallAndCheck(vertx, ctx, 3 * MAX_MISSED * TICK_MS);
  }

  private void stallAndCheck(Vertx vertx, VertxTestContext ctx, long stallMs) throws Exception {
    int port = ProcessFixture.freePort();
    server = ProcessFixture.startServer(Map.of("HEARTBEAT_PORT", String.valueOf(port),
        "HEARTBEAT_TICK_MS", String.valueOf(TICK_MS),
        "HEARTBEAT_MAX_MISSED", String.valueOf(MAX_MISSED)));
    List<Future<String>> warm = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      ProcessFixture.Running client = ProcessFixture.startClient(port, TICK_MS / 2, 1_000_000);
      clients.add(client);
      // Warm: the server's first-connection stalls are behind us.
      warm.add(Future.fromCompletionStage(client.line("ack 20")));
    }
    int[] acksBeforeStop = new int[CLIENTS];
    Future.all(warm)
        .compose(v -> signalServer(vertx, "STOP"))
        .compose(v -> {
          for (int i = 0; i < CLIENTS; i++) {
            acksBeforeStop[i] = lastAck(clients.get(i));
          }
          return after(vertx, stallMs);
        })
        .compose(v -> signalServer(vertx, "CONT"))
        // Watch two whole windows after the resume: any timeout close would land there.
        .compose(v -> after(vertx, 2 * (MAX_MISSED + 1) * TICK_MS))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertFalse(server.printed("closed: timeout"), "server closed a healthy client: "
              + server.lines);
          for (int i = 0; i < CLIENTS; i++) {
            ProcessFixture.Running client = clients.get(i);
            assertFalse(client.printed("closed-after-last-ms"), "client closed: " + client.lines);
            // Served again, not just left open: two windows of heartbeats at half a tick.
            assertTrue(lastAck(client) >= acksBeforeStop[i] + 2 * MAX_MISSED,
                "acks did not resume after SIGCONT: " + acksBeforeStop[i] + " before the stop, "
                    + lastAck(client) + " now");
          }
          ctx.completeNow();
        })));
  }

  /** The number of the last "ack N" line the classic client printed (0 for none). */
  private static int lastAck(ProcessFixture.Running client) {
    int last = 0;
    for (String line : client.lines) {
      if (line.startsWith("ack ")) {
        last = Math.max(last, Integer.parseInt(line.substring(4).trim()));
      }
    }
    return last;
  }

  private Future<Void> signalServer(Vertx vertx, String signal) {
    return vertx.executeBlocking(() -> {
      server.signal(signal);
      return null;
    });
  }

  private static Future<Void> after(Vertx vertx, long ms) {
    Promise<Void> elapsed = Promise.promise();
    vertx.setTimer(ms, t -> elapsed.complete());
    return elapsed.future();
  }
}
