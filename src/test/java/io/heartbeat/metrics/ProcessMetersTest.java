package io.heartbeat.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.config.HeartbeatConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class ProcessMetersTest {

  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.E+-]+)$")
        .matcher(scrape);
    if (!m.find()) {
      throw new AssertionError(series + " not in scrape");
    }
    return Double.parseDouble(m.group(1));
  }

  private static String closed(String reason) {
    return "heartbeat_connections_closed_total{reason=\"" + reason + "\"}";
  }

  @Test
  void exportsJvmProcessBuildAndLimitMeters(Vertx vertx, VertxTestContext ctx) throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HeartbeatConfig config = HeartbeatConfig.fromJson(new JsonObject().put("maxConnections",
        1234));
    vertx.runOnContext(v -> ctx.verify(() -> {
      try (ProcessMeters meters = ProcessMeters.bind(new HeartbeatMetrics(registry), vertx,
          config)) {
        String scrape = registry.scrape();
        for (String name : new String[] {"jvm_memory_used_bytes", "jvm_memory_max_bytes",
            "jvm_buffer_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total",
            "jvm_threads_live_threads", "jvm_threads_states_threads", "jvm_classes_loaded_classes",
            "process_cpu_usage", "system_cpu_count", "process_uptime_seconds",
            "process_start_time_seconds", "process_files_open_files",
            "process_files_max_files"}) {
          assertTrue(scrape.contains(name + "{") || scrape.contains(name + " "),
              name + " missing");
        }
        assertTrue(value(scrape, "process_files_open_files") > 0);
        assertEquals(1234, value(scrape, "heartbeat_connections_limit"));
        Matcher info = Pattern.compile("(?m)^heartbeat_build_info\\{(.*)} 1(\\.0)?$")
            .matcher(scrape);
        assertTrue(info.find(), "heartbeat_build_info missing");
        assertTrue(info.group(1).contains("java=\"" + System.getProperty("java.version") + "\""),
            info.group(1));
        assertTrue(info.group(1).matches(".*transport=\"(epoll|nio)\".*"), info.group(1));
        assertTrue(info.group(1).contains("ioEdge=\"netserver\""), info.group(1));
        assertTrue(info.group(1).contains("version=\""), info.group(1));
      }
      ctx.completeNow();
    }));
  }

  @Test
  void countsNodeLostClosesAndNoOtherReason(Vertx vertx, VertxTestContext ctx) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HeartbeatMetrics metrics = new HeartbeatMetrics(registry);
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      ProcessMeters meters = ProcessMeters.bind(metrics, vertx, HeartbeatConfig.defaults());
      int[] seen = {0};
      // Registered after the meters' consumer on the same event loop: it sees each event after
      // the meters did.
      vertx.eventBus().<JsonObject>localConsumer(Addresses.CONNECTION_CLOSED, m -> {
        if (++seen[0] == 3) {
          ctx.verify(() -> {
            assertEquals(2, value(registry.scrape(), closed(LifecycleEvents.NODE_LOST)));
            assertEquals(0, value(registry.scrape(), closed(LifecycleEvents.TIMEOUT)));
            meters.close();
          });
          ctx.completeNow();
        }
      });
      publish(vertx, LifecycleEvents.NODE_LOST);
      publish(vertx, LifecycleEvents.TIMEOUT);
      publish(vertx, LifecycleEvents.NODE_LOST);
    });
  }

  private static void publish(Vertx vertx, String reason) {
    vertx.eventBus().publish(Addresses.CONNECTION_CLOSED,
        LifecycleEvents.closed(1, null, reason, 1000, 20, -1));
  }
}
