package io.heartbeat.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchSummaryTest {

  private static String line(String server, int rep, long cpuSteady, long cpuEnd, long rssEnd,
      long p99) {
    JsonObject load = new JsonObject().put("conns_target", 100).put("conns_open_at_end", 100)
        .put("connect_failures", 0).put("hb_sent_steady", 1000).put("steady_s", 10.0)
        .put("unexpected_closes", 0).put("frozen", 0).put("frozen_closed", 0)
        .put("detect_ms", new JsonObject().putNull("min").putNull("p50").putNull("max"))
        .put("rtt_us_steady", new JsonObject().put("p50", 100).put("p99", p99))
        .put("server", new JsonObject().put("cpu_ms_steady", cpuSteady).put("cpu_ms_end", cpuEnd)
            .put("rss_kib_start", 1000).put("rss_kib_end", rssEnd));
    return new JsonObject().put("server", server).put("rep", rep).put("conns", 100)
        .put("tick_ms", 3000).put("max_missed", 5).put("hbload", load).encode();
  }

  @Test
  void reportsMediansOverRepsAndRatiosToTheAnchors() {
    JsonObject summary = BenchSummary.summarize(List.of(
        line("netty-epoll", 1, 0, 20, 2000, 1000),
        line("heartbeat", 1, 0, 10, 1500, 500),
        line("netty-epoll", 2, 0, 40, 2000, 1000),
        line("heartbeat", 2, 0, 30, 1500, 700),
        line("heartbeat", 3, 0, 20, 1500, 900)));
    JsonObject ours = summary.getJsonObject("servers").getJsonObject("heartbeat");
    assertEquals(3, ours.getInteger("reps"));
    assertEquals(20.0, ours.getDouble("cpu_ms_per_1k_hb"));
    assertEquals(5.0, ours.getDouble("rss_kib_per_conn"));
    assertEquals(100.0, ours.getDouble("hb_per_s"));
    assertEquals(700.0, ours.getDouble("rtt_p99_us"));
    JsonObject vsNetty = summary.getJsonObject("heartbeat_vs").getJsonObject("netty-epoll");
    assertEquals(0.67, vsNetty.getDouble("cpu"));
    assertEquals(0.5, vsNetty.getDouble("rss_per_conn"));
    assertEquals(0.7, vsNetty.getDouble("rtt_p99"));
  }

  @Test
  void skipsServersThatDidNotStart() {
    JsonObject summary = BenchSummary.summarize(List.of(
        "{\"server\":\"broken\",\"rep\":1,\"error\":\"did not start\"}",
        line("heartbeat", 1, 0, 10, 1500, 500)));
    assertEquals(0, summary.getJsonObject("servers").getJsonObject("broken").getInteger("reps"));
  }
}
