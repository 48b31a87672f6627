package io.heartbeat.tools.soak;

import io.heartbeat.testing.scenario.ChurnScenario;
import io.heartbeat.testing.scenario.DripScenario;
import io.heartbeat.testing.scenario.FloodScenario;
import io.heartbeat.testing.scenario.GarbageScenario;
import io.heartbeat.testing.scenario.LengthFieldScenario;
import io.heartbeat.testing.scenario.Report;
import io.heartbeat.testing.scenario.StallScenario;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reliability scenarios at full size, for scripts/reliability (CI runs them scaled down as
 * JUnit tests). Each scenario starts its own service process on free loopback ports and stops
 * it; every load is bounded in count and time.
 *
 * <p>Usage: {@code ReliabilityRun [NAME[:COUNT]]...} with NAME one of garbage, length, drip,
 * churn, flood, stall, short-stall (no argument: all of them at the sizes). COUNT
 * overrides the main count: connections (garbage), peers of each kind (length), drippers
 * (drip), seconds (churn), healthy peers (flood, stall). Exit code 0 when every scenario
 * passed, 1 otherwise.
 */
public final class ReliabilityRun {

  private static final Logger LOG = LoggerFactory.getLogger(ReliabilityRun.class);

  private ReliabilityRun() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, Integer> chosen = new LinkedHashMap<>();
    for (String arg : args.length == 0
        ? new String[] {"garbage", "length", "drip", "churn", "flood", "short-stall", "stall"}
        : args) {
      int colon = arg.indexOf(':');
      chosen.put(colon < 0 ? arg : arg.substring(0, colon),
          colon < 0 ? -1 : Integer.parseInt(arg.substring(colon + 1)));
    }
    Vertx vertx = Vertx.vertx();
    List<Report> reports = new ArrayList<>();
    try {
      for (Map.Entry<String, Integer> e : chosen.entrySet()) {
        Callable<Report> scenario = scenario(vertx, e.getKey(), e.getValue());
        LOG.info("Running {}", e.getKey());
        Report report = scenario.call();
        LOG.info("{}", report);
        reports.add(report);
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    boolean passed = reports.stream().allMatch(Report::passed);
    StringBuilder summary = new StringBuilder("Summary:");
    for (Report r : reports) {
      summary.append("\n").append(r);
    }
    LOG.info("{}\n{}", summary, passed ? "ALL PASSED" : "SOME FAILED");
    System.exit(passed ? 0 : 1);
  }

  private static Callable<Report> scenario(Vertx vertx, String name, int count) {
    switch (name) {
      case "garbage":
        return () -> GarbageScenario.run(vertx, new GarbageScenario.Params(
            or(count, 100_000), 200, 20261121L));
      case "length":
        return () -> LengthFieldScenario.run(vertx, new LengthFieldScenario.Params(
            or(count, 1_000), or(count, 1_000), 5_000));
      case "drip":
        return () -> DripScenario.run(vertx, new DripScenario.Params(1_000, 5,
            or(count, 5_000), 100, 1_000));
      case "churn":
        return () -> ChurnScenario.run(vertx, new ChurnScenario.Params(1_000, or(count, 60)));
      case "flood":
        return () -> FloodScenario.run(vertx, new FloodScenario.Params(100, 5,
            or(count, 1_000), 100));
      case "short-stall":
        return () -> StallScenario.run(vertx, new StallScenario.Params(100, 5,
            or(count, 2_000), 20, 400));
      case "stall":
        return () -> StallScenario.run(vertx, new StallScenario.Params(100, 5,
            or(count, 2_000), 20, 1_500));
      default:
        throw new IllegalArgumentException("Unknown scenario \"" + name + "\"; expected garbage,"
            + " length, drip, churn, flood, short-stall or stall");
    }
  }

  private static int or(int count, int fallback) {
    return count > 0 ? count : fallback;
  }
}
