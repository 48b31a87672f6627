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
 * Slow drip against the service in its own process, scaled for CI: 200 drippers (scripts/
 * reliability runs 5,000), with silent references and healthy peers alongside. See
 * {@link DripScenario}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class SlowDripTest {

  @Test
  void drippersCloseLikeSilentPeersAndDelayNoOtherVerdictBeyondTheWindow(Vertx vertx,
      VertxTestContext ctx) {
    Scenarios.runAsync("drip", () -> DripScenario.run(vertx,
            new DripScenario.Params(100, 5, 200, 20, 100)))
        .onComplete(ctx.succeeding(report -> ctx.verify(() -> {
          LoggerFactory.getLogger(getClass()).info("{}", report);
          assertTrue(report.passed(), report.toString());
          ctx.completeNow();
        })));
  }
}
