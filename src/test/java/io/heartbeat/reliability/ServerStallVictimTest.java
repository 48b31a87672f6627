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
 * The service process stopped for three windows while 200 healthy peers keep heartbeating and
 * five victims are silent. See {@link StallScenario}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class ServerStallVictimTest {

  @Test
  void stallOfThreeWindowsClosesNoHealthyPeerAndStillClosesTheDeadOnes(Vertx vertx,
      VertxTestContext ctx) {
    Scenarios.runAsync("stall", () -> StallScenario.run(vertx,
            new StallScenario.Params(100, 5, 200, 5, 1_500)))
        .onComplete(ctx.succeeding(report -> ctx.verify(() -> {
          LoggerFactory.getLogger(getClass()).info("{}", report);
          assertTrue(report.passed(), report.toString());
          ctx.completeNow();
        })));
  }
}
