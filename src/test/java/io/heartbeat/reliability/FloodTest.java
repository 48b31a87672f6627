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
 * A flooding client against the service in its own process, with healthy peers alongside,
 * scaled for CI (scripts/reliability runs 1,000 healthy peers). See {@link FloodScenario};
 * faults.HostileTrafficTest floods an in-process service.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class FloodTest {

  @Test
  void floodingClientPushesNoOtherVerdictOutOfTheWindow(Vertx vertx, VertxTestContext ctx) {
    Scenarios.runAsync("flood", () -> FloodScenario.run(vertx,
            new FloodScenario.Params(100, 5, 100, 20)))
        .onComplete(ctx.succeeding(report -> ctx.verify(() -> {
          LoggerFactory.getLogger(getClass()).info("{}", report);
          assertTrue(report.passed(), report.toString());
          ctx.completeNow();
        })));
  }
}
