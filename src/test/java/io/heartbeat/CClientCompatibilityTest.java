package io.heartbeat;

import io.heartbeat.testing.Prerequisites;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.config.HeartbeatConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The classic C client (src/test/c/classic_client.c: a raw {@code struct PACKET_HEAD} in host
 * byte order) against the server with default byte order: acked, then closed inside the window
 * after it falls silent, GOODBYE "timeout" first.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class CClientCompatibilityTest {

  private static final Path BINARY = Path.of("target", "classic_client");

  @BeforeAll
  static void compile() throws Exception {
    Process gcc;
    try {
      gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-o", BINARY.toString(),
          "src/test/c/classic_client.c").redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      Prerequisites.missing("cannot build the C client: " + e.getMessage(),
          "apt-get install gcc");
      return;
    }
    String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc failed: " + output);
    assertTrue(Files.isExecutable(BINARY));
  }

  @Test
  void classicCClientIsAckedThenClosedInsideTheWindowAfterFallingSilent(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    long tickMs = 100;
    int maxMissed = 5;
    int heartbeats = 8;
    HeartbeatConfig config = HeartbeatConfig.fromJson(new JsonObject().put("port", 0)
        .put("tickMs", tickMs).put("maxMissed", maxMissed));
    HeartbeatService.start(vertx, config, null, 0).onComplete(ctx.succeeding(service ->
        vertx.executeBlocking(() -> runClient(service.port(), tickMs, heartbeats))
            .onComplete(ctx.succeeding(lines -> ctx.verify(() -> {
              long acks = lines.stream().filter(l -> l.startsWith("ack ")).count();
              assertEquals(heartbeats, acks, "acks: " + lines);
              assertTrue(lines.contains("goodbye timeout"), "no GOODBYE timeout: " + lines);
              String closed = lines.stream().filter(l -> l.startsWith("closed-after-last-ms "))
                  .findFirst().orElseThrow(() -> new AssertionError("never closed: " + lines));
              long afterLast = Long.parseLong(closed.split(" ")[1]);
              assertTrue(afterLast >= maxMissed * tickMs, "closed early: " + afterLast + " ms");
              // Upper edge (maxMissed+1) x tick, plus slack for a loaded 2-core machine.
              assertTrue(afterLast <= (maxMissed + 1) * tickMs + tickMs + 100,
                  "closed late: " + afterLast + " ms");
              ctx.completeNow();
            })))));
  }

  private static List<String> runClient(int port, long intervalMs, int heartbeats)
      throws Exception {
    Process client = new ProcessBuilder(BINARY.toString(), String.valueOf(port),
        String.valueOf(intervalMs), String.valueOf(heartbeats)).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
      }
    }
    if (!client.waitFor(20, TimeUnit.SECONDS)) {
      client.destroyForcibly();
    }
    return lines;
  }
}
