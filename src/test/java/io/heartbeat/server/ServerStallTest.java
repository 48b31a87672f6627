package io.heartbeat.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.testing.scenario.Report;
import io.heartbeat.testing.scenario.Scenarios;
import io.heartbeat.testing.scenario.StallScenario;
import io.vertx.core.Future;
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
 * The service process itself is stopped (SIGSTOP: a GC pause, VM steal) while healthy peers
 * keep heartbeating into their sockets and a few victims fell silent just before. README's
 * own-stall rule, both halves, for a stall shorter than the window and for one three windows
 * long: no healthy peer is closed and every one is served again (acks resume after SIGCONT),
 * and the dead ones are still closed inside the window, the stall not counted. See
 * {@link StallScenario}.
 */
@Tag("service-process")
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class ServerStallTest {

  private static final long TICK_MS = 100;
  private static final int MAX_MISSED = 5;

  @Test
  void stallShorterThanTheWindowClosesNoHealthyPeerAndStillClosesTheDeadOnes(Vertx vertx,
      VertxTestContext ctx) {
    passes(ctx, Scenarios.runAsync("short-stall", () -> StallScenario.run(vertx,
        new StallScenario.Params(TICK_MS, MAX_MISSED, 50, 5, (MAX_MISSED - 1) * TICK_MS))));
  }

  @Test
  void stallOfThreeWindowsClosesNoHealthyPeerAndStillClosesTheDeadOnes(Vertx vertx,
      VertxTestContext ctx) {
    passes(ctx, Scenarios.runAsync("stall", () -> StallScenario.run(vertx,
        new StallScenario.Params(TICK_MS, MAX_MISSED, 200, 5, 3 * MAX_MISSED * TICK_MS))));
  }

  private void passes(VertxTestContext ctx, Future<Report> run) {
    run.onComplete(ctx.succeeding(report -> ctx.verify(() -> {
      LoggerFactory.getLogger(getClass()).info("{}", report);
      assertTrue(report.passed(), report.toString());
      ctx.completeNow();
    })));
  }
}
