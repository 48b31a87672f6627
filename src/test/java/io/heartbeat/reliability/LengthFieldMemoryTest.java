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
 * The length-field case at full size (it is cheap): 1,000 peers declaring the maximum
 * payload, half trickling and half stopped, and 1,000 declaring 2^31-1, all at once against the
 * service in its own process. See {@link LengthFieldScenario}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class LengthFieldMemoryTest {

  @Test
  void illegalLengthsCloseAtOnceAndLegalMaximumsHoldOnlyWhatTheySent(Vertx vertx,
      VertxTestContext ctx) {
    Scenarios.runAsync("length-field", () -> LengthFieldScenario.run(vertx,
            new LengthFieldScenario.Params(1_000, 1_000, 2_000)))
        .onComplete(ctx.succeeding(report -> ctx.verify(() -> {
          LoggerFactory.getLogger(getClass()).info("{}", report);
          assertTrue(report.passed(), report.toString());
          ctx.completeNow();
        })));
  }
}
