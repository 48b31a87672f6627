package io.heartbeat.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.config.HeartbeatConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped dashboard only queries meters the service really exports, filters every query
 * by its instance variable, and docs/ADMIN.md lists every meter Heartbeat itself exports.
 */
class GrafanaDashboardTest {

  private static final Pattern METER =
      Pattern.compile("\\b(?:heartbeat|jvm|process|system)_[a-z_]+");
  private static final Path DASHBOARD = Path.of("conf/grafana/heartbeat-dashboard.json");

  private static Vertx vertx;
  private static String scrape;

  @BeforeAll
  static void scrapeEveryMeter() throws Exception {
    vertx = Vertx.vertx();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HeartbeatMetrics metrics = new HeartbeatMetrics(registry);
    metrics.register(new IoStats());
    metrics.detectionDelay(15_000);
    metrics.monitorTick(1, 1, 1, 0);
    metrics.activityBatch(1);
    scrape = vertx.executeBlocking(() -> {
      try (ProcessMeters meters = ProcessMeters.bind(metrics, vertx,
          HeartbeatConfig.fromJson(new JsonObject()))) {
        return registry.scrape();
      }
    }).await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static Set<String> meters(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = METER.matcher(text);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  /** A histogram's or summary's name without the suffix of one of its series. */
  private static String base(String series) {
    return series.replaceAll("_(bucket|count|sum|max)$", "");
  }

  @Test
  void dashboardQueriesOnlyExportedMeters() throws Exception {
    Set<String> used = meters(Files.readString(DASHBOARD));
    assertFalse(used.isEmpty());
    for (String name : used) {
      assertTrue(Pattern.compile("(?m)^" + name + "[{ ]").matcher(scrape).find(),
          name + " is on the dashboard but not exported");
    }
  }

  @Test
  void everyDashboardQueryIsFilteredByTheInstanceVariable() throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    JsonObject variable = dashboard.getJsonObject("templating").getJsonArray("list")
        .getJsonObject(0);
    assertTrue("instance".equals(variable.getString("name")));
    Pattern reference = Pattern.compile("\\b(?:heartbeat|jvm|process|system)_[a-z_]+"
        + "(\\{[^}]*)?");
    int queries = 0;
    for (Object panel : dashboard.getJsonArray("panels")) {
      for (Object target : ((JsonObject) panel).getJsonArray("targets")) {
        Matcher meter = reference.matcher(((JsonObject) target).getString("expr"));
        while (meter.find()) {
          queries++;
          assertTrue(meter.group().contains("{instance=~\"$instance\""),
              meter.group() + " is not filtered by $instance");
        }
      }
    }
    assertTrue(queries > 0);
  }

  @Test
  void adminDocListsEveryExportedHeartbeatMeter() throws Exception {
    String doc = Files.readString(Path.of("docs/ADMIN.md"));
    for (String name : meters(scrape)) {
      if (!name.startsWith("heartbeat_")) {
        continue;
      }
      assertTrue(doc.contains(base(name)), base(name)
          + " is exported but docs/ADMIN.md does not list it");
    }
  }

  @Test
  void adminDocListsEveryProcessMeterTheDashboardShows() throws Exception {
    String doc = Files.readString(Path.of("docs/ADMIN.md"));
    for (String name : meters(Files.readString(DASHBOARD))) {
      assertTrue(doc.contains(base(name)), base(name) + " is on the dashboard but docs/ADMIN.md"
          + " does not list it");
    }
  }
}
