package io.heartbeat.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.testing.scenario.ChurnScenario;
import io.heartbeat.testing.scenario.Scenarios;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Connection churn leaves nothing behind, against the service in its own process, scaled for
 * CI: 1,000 connects and closes a second for 10 s (scripts/reliability runs 60 s). Afterwards
 * the service holds no connection, its monitor tracks none, it refused none, it counted every
 * one, and its open files and heap after GC are back at the baseline. See
 * {@link ChurnScenario}.
 */
@Tag("service-process")
@ExtendWith(VertxExtension.class)
@Timeout(value = 150, timeUnit = TimeUnit.SECONDS)
class ChurnTest {

  @Test
  void churnLeavesRegistryOpenFilesAndHeapAtTheBaseline(Vertx vertx, VertxTestContext ctx) {
    Scenarios.runAsync("churn", () -> ChurnScenario.run(vertx,
            new ChurnScenario.Params(1_000, 10)))
        .onComplete(ctx.succeeding(report -> ctx.verify(() -> {
          LoggerFactory.getLogger(getClass()).info("{}", report);
          assertTrue(report.passed(), report.toString());
          ctx.completeNow();
        })));
  }
}
