package io.heartbeat.admin;

import io.heartbeat.metrics.HeartbeatMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /health} (liveness) and {@code GET /ready} (readiness) through vertx-health-check:
 * 200 with every check UP, 503 naming the checks that are DOWN (each with a {@code reason}).
 *
 * <p>Liveness holds while the process can still do its job, and does not flap under load:
 * {@code event-loop} (the admin event loop answered at all) and, where the monitor runs,
 * {@code monitor-timer}: the monitor's timer ran within the last
 * {@link #monitorStuckNanos max(30 s, 20 ticks)}, far beyond any stall load causes, so DOWN
 * means a wedged process a restart fixes. Readiness is the service's {@link ReadinessCheck}s.
 */
final class HealthRoutes {

  /** A monitor timer silent this long (at least) makes the process not alive. */
  static final long MIN_MONITOR_STUCK_MS = 30_000;
  static final int MONITOR_STUCK_TICKS = 20;

  private HealthRoutes() {
  }

  /** Adds both routes to {@code router}; they need no token. */
  static void mount(Vertx vertx, Router router, HeartbeatMetrics metrics, boolean runsMonitor,
      List<ReadinessCheck> readiness) {
    HealthChecks live = HealthChecks.create(vertx);
    live.register("event-loop", p -> p.complete(Status.OK(new JsonObject().put("uptimeMs",
        ManagementFactory.getRuntimeMXBean().getUptime()))));
    if (runsMonitor) {
      live.register("monitor-timer", p -> p.complete(monitorTimer(metrics, System.nanoTime())));
    }
    HealthChecks ready = HealthChecks.create(vertx);
    for (ReadinessCheck check : readiness) {
      ready.register(check.name(), p -> p.complete(check.up().getAsBoolean() ? Status.OK()
          : Status.KO(new JsonObject().put("reason", check.whenDown()))));
    }
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(live));
    router.get("/ready").handler(HealthCheckHandler.createWithHealthChecks(ready));
    // Here, not by the router: the token check that follows matches every path and would
    // otherwise turn a wrong method on these open routes into a 404.
    router.route("/health").handler(ErrorAnswers::methodNotAllowed);
    router.route("/ready").handler(ErrorAnswers::methodNotAllowed);
  }

  /** UP while the monitor has not ticked yet (starting) or ticked recently enough. */
  static Status monitorTimer(HeartbeatMetrics metrics, long nowNanos) {
    long ageNanos = metrics.monitorTickAgeNanos(nowNanos);
    long stuckNanos = monitorStuckNanos(metrics.monitorTickNanos());
    if (ageNanos < 0) {
      return Status.OK(new JsonObject().put("lastTickAgeMs", null));
    }
    JsonObject data = new JsonObject().put("lastTickAgeMs",
        TimeUnit.NANOSECONDS.toMillis(ageNanos));
    if (ageNanos <= stuckNanos) {
      return Status.OK(data);
    }
    return Status.KO(data.put("reason", "the monitor's timer has not run for "
        + TimeUnit.NANOSECONDS.toMillis(ageNanos) + " ms; the process is wedged"));
  }

  static long monitorStuckNanos(long tickNanos) {
    return Math.max(TimeUnit.MILLISECONDS.toNanos(MIN_MONITOR_STUCK_MS),
        MONITOR_STUCK_TICKS * tickNanos);
  }
}
