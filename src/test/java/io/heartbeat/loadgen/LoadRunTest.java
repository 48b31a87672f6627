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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A short, small load against the real service (tick 100 ms x 5; a window wide enough for a cold JVM's first stalls) with half the links frozen. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class LoadRunTest {

  @Test
  void closesEveryFrozenConnectionAndNoLiveOne(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    HeartbeatConfig config = HeartbeatConfig.fromJson(new JsonObject().put("host", "127.0.0.1")
        .put("port", 0).put("tickMs", 100).put("maxMissed", 5).put("ioInstances", 1)
        .put("configScanMs", 0));
    HeartbeatService.start(vertx, config, null, 0).onComplete(ctx.succeeding(service -> {
      LoadSettings settings = LoadSettings.parse(new String[] {"--port",
          Integer.toString(service.port()), "--conns", "40", "--interval-ms", "50",
          "--duration-s", "3", "--settle-s", "0", "--freeze-fraction", "0.5",
          "--freeze-at-s", "1.0", "--progress-s", "1"});
      ByteArrayOutputStream progress = new ByteArrayOutputStream();
      vertx.runOnContext(v -> new LoadRun(vertx, settings, null, new PrintStream(progress, true))
          .start().onComplete(ctx.succeeding(stats -> {
            ctx.verify(() -> {
              assertEquals(40, stats.opened, "opened");
              assertEquals(0, stats.connectFailures);
              assertEquals(20, stats.frozen, stats::table);
              assertEquals(20, stats.frozenClosed, "frozen connections closed");
              assertEquals(0, stats.unexpectedCloses, "live connections closed");
              assertEquals(20, stats.openAtEnd);
              assertEquals(0, stats.badFrames);
              assertTrue(stats.acks > 0 && stats.acks <= stats.hbSent, stats.table());
              // The server may close only after maxMissed x tick of silence.
              assertTrue(stats.detectMs.quantile(0) >= 500, stats.table());
              assertTrue(stats.json().startsWith("{\"conns_target\":40,"), stats.json());
              assertTrue(progress.toString().contains("froze 20 connections"), progress.toString());
            });
            ctx.completeNow();
          })));
    }));
  }
}
