package io.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.testing.CClient;
import io.heartbeat.testing.ServiceProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SIGTERM: every client gets GOODBYE "shutdown" and leaves, then the process exits 0. */
@Tag("service-process")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class GracefulShutdownTest {

  private ServiceProcess server;
  private final List<CClient> clients = new ArrayList<>();

  @BeforeAll
  static void build() throws Exception {
    CClient.buildForTest();
  }

  @AfterEach
  void stop() {
    clients.forEach(CClient::close);
    if (server != null) {
      server.close();
    }
  }

  @Test
  void sigtermSaysGoodbyeToEveryClientAndExitsZero(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    server = ServiceProcess.start("graceful-shutdown", Map.of(
        "HEARTBEAT_TICK_MS", "1000", "HEARTBEAT_SHUTDOWN_GRACE_MS", "5000"));
    List<Future<String>> acked = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      CClient client = CClient.start(server.port(), 200);
      clients.add(client);
      acked.add(Future.fromCompletionStage(client.line("ack 1")));
    }
    Future.all(acked)
        .compose(v -> vertx.executeBlocking(() -> {
          server.signal("TERM");
          return server.awaitExit(Duration.ofSeconds(30));
        }))
        .compose(exit -> {
          ctx.verify(() -> assertEquals(0, exit, "exit code after SIGTERM; output: "
              + server.tail()));
          // The last line may still be on its way through the pipe when the process is gone.
          return Future.fromCompletionStage(server.line("Heartbeat stopped"))
              .timeout(10, TimeUnit.SECONDS);
        })
        .compose(stopped -> Future.all(clients.stream()
            .map(c -> Future.fromCompletionStage(c.line("closed-after-last-ms"))
                .timeout(10, TimeUnit.SECONDS)).toList()))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          for (CClient client : clients) {
            assertTrue(client.printed("goodbye shutdown"), "no GOODBYE: " + client.lines());
          }
          ctx.completeNow();
        })));
  }
}
