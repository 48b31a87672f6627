package io.heartbeat.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.testing.scenario.DripScenario;
import io.heartbeat.testing.scenario.FloodScenario;
import io.heartbeat.testing.scenario.GarbageScenario;
import io.heartbeat.testing.scenario.LengthFieldScenario;
import io.heartbeat.testing.scenario.Report;
import io.heartbeat.testing.scenario.Scenarios;
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
 * Hostile traffic against the service in its own process, scaled for CI (scripts/reliability
 * runs the same scenarios at full size): garbage openings, length-field memory exhaustion, slow
 * drips and a flooding client, each with legal peers alongside. What each checks is in its
 * scenario class ({@link GarbageScenario}, {@link LengthFieldScenario}, {@link DripScenario},
 * {@link FloodScenario}).
 */
@Tag("service-process")
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class HostileTrafficTest {

  @Test
  void garbageIsClosedWithoutReplyAndTheServiceStaysWholeAndServing(Vertx vertx,
      VertxTestContext ctx) {
    passes(ctx, Scenarios.runAsync("garbage", () -> GarbageScenario.run(vertx,
        new GarbageScenario.Params(1_000, 50, 20261121L))));
  }

  @Test
  void illegalLengthsCloseAtOnceAndLegalMaximumsHoldOnlyWhatTheySent(Vertx vertx,
      VertxTestContext ctx) {
    passes(ctx, Scenarios.runAsync("length", () -> LengthFieldScenario.run(vertx,
        new LengthFieldScenario.Params(1_000, 1_000, 2_000))));
  }

  @Test
  void drippersCloseLikeSilentPeersAndDelayNoOtherVerdictBeyondTheWindow(Vertx vertx,
      VertxTestContext ctx) {
    passes(ctx, Scenarios.runAsync("drip", () -> DripScenario.run(vertx,
        new DripScenario.Params(100, 5, 200, 20, 100))));
  }

  @Test
  void floodingClientPushesNoOtherVerdictOutOfTheWindow(Vertx vertx, VertxTestContext ctx) {
    passes(ctx, Scenarios.runAsync("flood", () -> FloodScenario.run(vertx,
        new FloodScenario.Params(100, 5, 100, 20))));
  }

  private void passes(VertxTestContext ctx, Future<Report> run) {
    run.onComplete(ctx.succeeding(report -> ctx.verify(() -> {
      LoggerFactory.getLogger(getClass()).info("{}", report);
      assertTrue(report.passed(), report.toString());
      ctx.completeNow();
    })));
  }
}
