package io.heartbeat.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.HeartbeatService;
import io.heartbeat.config.HeartbeatConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator's session mode against the real service with JWT credentials (tick 100 ms
 * x 5): every connection is welcomed with the interval it asked for and then held by its
 * heartbeats; a load signed with the wrong secret is refused with GOODBYE unauthorized.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class SessionLoadRunTest {

  private static final String SECRET = "load-secret-of-thirty-two-bytes-at-least";

  @TempDir
  Path dir;

  @Test
  void welcomesAndHoldsEverySignedSession(Vertx vertx, VertxTestContext ctx) throws Exception {
    run(vertx, ctx, SECRET, stats -> {
      assertEquals(30, stats.welcomed, stats::table);
      assertEquals(0, stats.grantMismatches, stats::table);
      assertEquals(0, stats.unexpectedCloses, stats::table);
      assertEquals(30, stats.openAtEnd, stats::table);
      assertEquals(0, stats.badFrames, stats::table);
      assertTrue(stats.acks > 0 && stats.acks <= stats.hbSent, stats.table());
      assertEquals(30, stats.welcomeUs.count());
      assertTrue(stats.json().contains("\"welcomed\":30,"), stats.json());
    });
  }

  @Test
  void aLoadSignedWithAnotherSecretIsRefusedUnauthorized(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    run(vertx, ctx, "another-secret-of-thirty-two-bytes-long", stats -> {
      assertEquals(0, stats.welcomed, stats::table);
      assertEquals(0, stats.hbSent, stats::table);
      assertEquals(Integer.valueOf(30), stats.goodbyeReasons.get("unauthorized"), stats::table);
      assertEquals(30, stats.unexpectedCloses, stats::table);
    });
  }

  private interface StatsCheck {
    void check(LoadStats stats) throws Throwable;
  }

  private void run(Vertx vertx, VertxTestContext ctx, String signingSecret, StatsCheck check)
      throws Exception {
    Path secretFile = Files.writeString(dir.resolve("secret"), signingSecret + "\n");
    HeartbeatConfig config = HeartbeatConfig.fromJson(new JsonObject().put("host", "127.0.0.1")
        .put("port", 0).put("tickMs", 100).put("maxMissed", 5).put("ioInstances", 1)
        .put("configScanMs", 0).put("auth.mode", "jwt").put("auth.jwtSecret", SECRET));
    HeartbeatService.start(vertx, config, null, 0).onComplete(ctx.succeeding(service -> {
      LoadSettings settings = LoadSettings.parse(new String[] {"--port",
          Integer.toString(service.port()), "--conns", "30", "--interval-ms", "100",
          "--duration-s", "2", "--settle-s", "0", "--progress-s", "0",
          "--client-id-prefix", "load-", "--jwt-secret-file", secretFile.toString()});
      SessionTokens tokens = SessionTokens.sign(vertx, settings);
      vertx.runOnContext(v -> new LoadRun(vertx, settings, tokens,
          new PrintStream(new ByteArrayOutputStream(), true))
          .start().onComplete(ctx.succeeding(stats -> {
            ctx.verify(() -> check.check(stats));
            ctx.completeNow();
          })));
    }));
  }
}
