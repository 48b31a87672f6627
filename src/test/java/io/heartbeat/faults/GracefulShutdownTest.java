package io.heartbeat.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
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

/** SIGTERM: every client gets GOODBYE "shutdown" and leaves, then the process exits 0. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class GracefulShutdownTest {

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
  void sigtermSaysGoodbyeToEveryClientAndExitsZero(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    int port = ProcessFixture.freePort();
    server = ProcessFixture.startServer(Map.of("HEARTBEAT_PORT", String.valueOf(port),
        "HEARTBEAT_TICK_MS", "1000", "HEARTBEAT_SHUTDOWN_GRACE_MS", "5000"));
    List<Future<String>> acked = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ProcessFixture.Running client = ProcessFixture.startClient(port, 200, 1_000_000);
      clients.add(client);
      acked.add(Future.fromCompletionStage(client.line("ack 1")));
    }
    Future.all(acked)
        .compose(v -> vertx.executeBlocking(() -> {
          server.signal("TERM");
          return server.process.waitFor(30, TimeUnit.SECONDS) ? server.process.exitValue() : -1;
        }))
        .onComplete(ctx.succeeding(exit -> ctx.verify(() -> {
          assertEquals(0, exit, "exit code after SIGTERM; output: " + server.lines);
          for (ProcessFixture.Running client : clients) {
            assertTrue(client.printed("goodbye shutdown"), "no GOODBYE: " + client.lines);
          }
          assertTrue(server.printed("Heartbeat stopped"), String.valueOf(server.lines));
          ctx.completeNow();
        })));
  }
}
