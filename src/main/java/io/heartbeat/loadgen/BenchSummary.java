package io.heartbeat.loadgen;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns the raw JSON lines of {@code compare.sh} (or of {@code scripts/bench --load java}) into
 * the benchmark figures: per server, medians over repetitions of connections held, heartbeats/s,
 * server CPU ms per 1,000 heartbeats, RSS KiB per connection, ack RTT p50/p99, unexpected
 * closes, detection delay; and the ratios of the server named {@code heartbeat} to the anchors.
 *
 * <p>Usage: {@code java -cp heartbeat.jar io.heartbeat.loadgen.BenchSummary RAW.jsonl [OUT.json]}
 * Prints a Markdown table; writes the figures as one JSON document to OUT.json when given.
 */
public final class BenchSummary {

  private static final String[] KEYS = {"conns_held", "hb_per_s", "cpu_ms_per_1k_hb",
      "rss_kib_per_conn", "rtt_p50_us", "rtt_p99_us", "unexpected_closes", "frozen",
      "frozen_closed", "detect_ms_min", "detect_ms_p50", "detect_ms_max", "connect_failures"};

  private BenchSummary() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("Usage: BenchSummary RAW.jsonl [OUT.json]");
      System.exit(2);
    }
    JsonObject summary = summarize(Files.readAllLines(Path.of(args[0])));
    print(summary, System.out);
    if (args.length == 2) {
      Files.writeString(Path.of(args[1]), summary.encodePrettily() + "\n");
    }
  }

  /** The figures of every server in {@code lines} (one compare.sh JSON object per line). */
  static JsonObject summarize(List<String> lines) {
    Map<String, List<JsonObject>> runs = new LinkedHashMap<>();
    JsonObject settings = new JsonObject();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      JsonObject run = new JsonObject(line);
      List<JsonObject> list = runs.computeIfAbsent(run.getString("server"), k -> new ArrayList<>());
      JsonObject load = run.getJsonObject("hbload");
      if (load != null && load.containsKey("conns_target")) {
        list.add(figures(load));
        for (String k : new String[] {"conns", "interval_ms", "duration_s", "tick_ms",
            "max_missed", "warmup_s"}) {
          settings.put(k, run.getValue(k));
        }
      }
    }
    JsonObject servers = new JsonObject();
    runs.forEach((server, list) -> {
      JsonObject medians = new JsonObject().put("reps", list.size());
      for (String key : KEYS) {
        medians.put(key, median(list, r -> r.getDouble(key)));
      }
      servers.put(server, medians);
    });
    JsonObject summary = new JsonObject().put("settings", settings).put("servers", servers);
    JsonObject ours = servers.getJsonObject("heartbeat");
    if (ours != null) {
      JsonObject ratios = new JsonObject();
      for (String anchor : servers.fieldNames()) {
        if (!anchor.equals("heartbeat")) {
          JsonObject a = servers.getJsonObject(anchor);
          ratios.put(anchor, new JsonObject()
              .put("cpu", ratio(ours, a, "cpu_ms_per_1k_hb"))
              .put("rss_per_conn", ratio(ours, a, "rss_kib_per_conn"))
              .put("rtt_p99", ratio(ours, a, "rtt_p99_us")));
        }
      }
      summary.put("heartbeat_vs", ratios);
    }
    return summary;
  }

  private static JsonObject figures(JsonObject load) {
    JsonObject server = load.getJsonObject("server", new JsonObject());
    JsonObject rtt = load.getJsonObject("rtt_us_steady", new JsonObject());
    JsonObject detect = load.getJsonObject("detect_ms", new JsonObject());
    Double held = load.getDouble("conns_open_at_end");
    Double hb = load.getDouble("hb_sent_steady");
    Double steadyS = load.getDouble("steady_s");
    Double cpu0 = server.getDouble("cpu_ms_steady");
    Double cpu1 = server.getDouble("cpu_ms_end");
    Double rss0 = server.getDouble("rss_kib_start");
    Double rss1 = server.getDouble("rss_kib_end");
    return new JsonObject()
        .put("conns_held", held)
        .put("hb_per_s", hb != null && steadyS != null && steadyS > 0 ? hb / steadyS : null)
        .put("cpu_ms_per_1k_hb", cpu0 != null && cpu1 != null && hb != null && hb > 0
            ? (cpu1 - cpu0) * 1000 / hb : null)
        .put("rss_kib_per_conn", rss0 != null && rss1 != null && held != null && held > 0
            ? (rss1 - rss0) / held : null)
        .put("rtt_p50_us", rtt.getDouble("p50"))
        .put("rtt_p99_us", rtt.getDouble("p99"))
        .put("unexpected_closes", load.getDouble("unexpected_closes"))
        .put("frozen", load.getDouble("frozen"))
        .put("frozen_closed", load.getDouble("frozen_closed"))
        .put("detect_ms_min", detect.getDouble("min"))
        .put("detect_ms_p50", detect.getDouble("p50"))
        .put("detect_ms_max", detect.getDouble("max"))
        .put("connect_failures", load.getDouble("connect_failures"));
  }

  private static Double median(List<JsonObject> runs, Function<JsonObject, Double> value) {
    List<Double> values = new ArrayList<>();
    for (JsonObject r : runs) {
      Double v = value.apply(r);
      if (v != null) {
        values.add(v);
      }
    }
    if (values.isEmpty()) {
      return null;
    }
    values.sort(Double::compare);
    int n = values.size();
    return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
  }

  private static Double ratio(JsonObject ours, JsonObject anchor, String key) {
    Double a = ours.getDouble(key);
    Double b = anchor.getDouble(key);
    return a == null || b == null || b == 0 ? null : Math.round(a / b * 100) / 100.0;
  }

  /** Prints the figures as a Markdown table, then the ratios. */
  static void print(JsonObject summary, PrintStream out) {
    out.println("settings: " + summary.getJsonObject("settings").encode()
        + "  (medians over reps)");
    out.println("| server | reps | conns held | hb/s | CPU ms/1k hb | RSS KiB/conn | rtt p50 us"
        + " | rtt p99 us | unexp. closes | frozen -> closed | detect ms min/p50/max |");
    out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    JsonObject servers = summary.getJsonObject("servers");
    for (String name : servers.fieldNames()) {
      JsonObject s = servers.getJsonObject(name);
      out.println(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |"
              + " %s |", name, s.getInteger("reps"), num(s, "conns_held", 0),
          num(s, "hb_per_s", 0), num(s, "cpu_ms_per_1k_hb", 1), num(s, "rss_kib_per_conn", 2),
          num(s, "rtt_p50_us", 0), num(s, "rtt_p99_us", 0), num(s, "unexpected_closes", 0),
          s.getDouble("frozen", 0.0) == 0 ? "-" : num(s, "frozen", 0) + " -> "
              + num(s, "frozen_closed", 0),
          s.getValue("detect_ms_p50") == null ? "-" : num(s, "detect_ms_min", 0) + " / "
              + num(s, "detect_ms_p50", 0) + " / " + num(s, "detect_ms_max", 0)));
    }
    JsonObject ratios = summary.getJsonObject("heartbeat_vs");
    if (ratios != null) {
      for (String anchor : ratios.fieldNames()) {
        JsonObject r = ratios.getJsonObject(anchor);
        out.println("heartbeat / " + anchor + ": CPU per hb x" + r.getValue("cpu")
            + ", RSS per conn x" + r.getValue("rss_per_conn") + ", rtt p99 x"
            + r.getValue("rtt_p99"));
      }
    }
  }

  private static String num(JsonObject s, String key, int decimals) {
    Double v = s.getDouble(key);
    return v == null ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
