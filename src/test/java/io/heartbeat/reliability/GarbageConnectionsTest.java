package io.heartbeat.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Garbage openings against the service in its own process, scaled for CI: 1,000 connections
 * (scripts/reliability runs 100,000). See {@link GarbageScenario} for what is checked.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class GarbageConnectionsTest {

  @Test
  void garbageIsClosedWithoutReplyAndTheServiceStaysWholeAndServing(Vertx vertx,
      VertxTestContext ctx) {
    Scenarios.runAsync("garbage", () -> GarbageScenario.run(vertx,
            new GarbageScenario.Params(1_000, 50, 20261121L)))
        .onComplete(ctx.succeeding(report -> ctx.verify(() -> {
          LoggerFactory.getLogger(getClass()).info("{}", report);
          assertTrue(report.passed(), report.toString());
          ctx.completeNow();
        })));
  }
}
