package io.heartbeat.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.metrics.HeartbeatMetrics;
import io.vertx.ext.healthchecks.Status;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Liveness's monitor-timer check, on an injected clock. */
class HealthRoutesTest {

  private static final long START = TimeUnit.SECONDS.toNanos(1000);

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void upBeforeTheMonitorStarted() {
    assertTrue(HealthRoutes.monitorTimer(HeartbeatMetrics.standalone(), START).isOk());
  }

  @Test
  void staysUpThroughStallsLoadCausesAndGoesDownPastThirtySeconds() {
    HeartbeatMetrics metrics = HeartbeatMetrics.standalone();
    metrics.monitorStarted(START, ms(50));
    metrics.monitorTick(START + ms(50), 1, 0, 0);
    assertTrue(HealthRoutes.monitorTimer(metrics, START + ms(50) + ms(5_000)).isOk());
    assertTrue(HealthRoutes.monitorTimer(metrics, START + ms(50) + ms(30_000)).isOk());
    Status stuck = HealthRoutes.monitorTimer(metrics, START + ms(50) + ms(30_001));
    assertFalse(stuck.isOk());
    assertEquals(30_001L, stuck.getData().getLong("lastTickAgeMs"));
    assertTrue(stuck.getData().getString("reason").contains("has not run for 30001 ms"));
  }

  @Test
  void longTicksStretchTheBoundToTwentyTicks() {
    HeartbeatMetrics metrics = HeartbeatMetrics.standalone();
    metrics.monitorStarted(START, ms(10_000));
    assertTrue(HealthRoutes.monitorTimer(metrics, START + ms(199_000)).isOk());
    assertFalse(HealthRoutes.monitorTimer(metrics, START + ms(200_001)).isOk());
  }
}
