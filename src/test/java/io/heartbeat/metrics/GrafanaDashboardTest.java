package io.heartbeat.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shipped dashboard and README only name meters the service really exports. */
class GrafanaDashboardTest {

  private static final Pattern METER = Pattern.compile("heartbeat_[a-z_]+");

  private static String scrape() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HeartbeatMetrics metrics = new HeartbeatMetrics(registry);
    metrics.register(new IoStats());
    metrics.detectionDelay(15_000);
    metrics.monitorTick(1, 1, 1, 0);
    metrics.activityBatch(1);
    return registry.scrape();
  }

  private static Set<String> meters(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = METER.matcher(text);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  @Test
  void dashboardQueriesOnlyExportedMeters() throws Exception {
    String scrape = scrape();
    Set<String> used = meters(Files.readString(Path.of("conf/grafana/heartbeat-dashboard.json")));
    assertFalse(used.isEmpty());
    for (String name : used) {
      assertTrue(scrape.contains(name), name + " is on the dashboard but not exported");
    }
  }

  @Test
  void readmeListsEveryExportedHeartbeatMeter() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    for (String name : meters(scrape())) {
      String base = name.replaceAll("_(bucket|count|sum|max|total)$", "");
      assertTrue(readme.contains(base), base + " is exported but README does not list it");
    }
  }
}
