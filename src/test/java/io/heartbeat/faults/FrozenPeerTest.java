package io.heartbeat.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client process stopped with SIGSTOP keeps its kernel answering TCP, so only the heartbeat
 * counter can tell it is dead: the server must close it inside the window after its last frame.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FrozenPeerTest {

  private static final long TICK_MS = 100;
  private static final int MAX_MISSED = 5;
  private static final Pattern CLOSED =
      Pattern.compile("closed: timeout \\((\\d+) ms since last frame\\)");

  private ProcessFixture.Running server;
  private ProcessFixture.Running client;

  @BeforeAll
  static void build() throws Exception {
    ProcessFixture.buildClient();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.stop();
    }
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void frozenClientProcessIsClosedInsideTheWindowAndSeesGoodbyeWhenResumed(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    int port = ProcessFixture.freePort();
    server = ProcessFixture.startServer(Map.of("HEARTBEAT_PORT", String.valueOf(port),
        "HEARTBEAT_TICK_MS", String.valueOf(TICK_MS),
        "HEARTBEAT_MAX_MISSED", String.valueOf(MAX_MISSED), "HEARTBEAT_IO_INSTANCES", "1"));
    client = ProcessFixture.startClient(port, TICK_MS, 100_000);
    Future.fromCompletionStage(client.line("ack 5"))
        .compose(acked -> vertx.executeBlocking(() -> {
          client.signal("STOP");
          return null;
        }))
        .compose(stopped -> Future.fromCompletionStage(server.line("closed: timeout")))
        .compose(closedLine -> {
          Matcher m = CLOSED.matcher(closedLine);
          ctx.verify(() -> {
            assertTrue(m.find(), closedLine);
            long silentMs = Long.parseLong(m.group(1));
            assertTrue(silentMs >= MAX_MISSED * TICK_MS, "closed early: " + closedLine);
            assertTrue(silentMs <= (MAX_MISSED + 1) * TICK_MS + TICK_MS + 100,
                "closed late: " + closedLine);
          });
          return vertx.executeBlocking(() -> {
            client.signal("CONT");
            return null;
          });
        })
        .compose(resumed -> Future.fromCompletionStage(client.line("closed-after-last-ms")))
        .onComplete(ctx.succeeding(line -> ctx.verify(() -> {
          assertTrue(client.printed("goodbye timeout"), "no GOODBYE: " + client.lines);
          ctx.completeNow();
        })));
  }
}
