package io.heartbeat.loadgen;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one load run counted and measured, and its rendering as a readable table and as one JSON
 * line whose keys are those of the shared C load generator (hbload), so the same tools read
 * both. Filled on the load generator's event loop.
 */
final class LoadStats {

  int connsTarget;
  long intervalMs;
  int settleS;
  int opened;
  int connectFailures;
  String lastConnectError;
  int openAtEnd;
  long hbSent;
  long hbSentSteady;
  long hbBlocked;
  long acks;
  long acksSteady;
  long badFrames;
  long probes;
  long dataFrames;
  long goodbyes;
  int unexpectedCloses;
  int frozen;
  int frozenClosed;
  int frozenOpenAtEnd;
  double elapsedS;
  double rampS;
  double steadyS;
  final RttHistogram rtt = new RttHistogram();
  final RttHistogram rttSteady = new RttHistogram();
  /** RTTs since the last progress line. */
  final RttHistogram window = new RttHistogram();
  final RttHistogram detectMs = new RttHistogram();
  /** Session mode (protocol 1.1): HELLO first, heartbeats after the WELCOME. */
  boolean sessions;
  int welcomed;
  /** Seconds from the start to the last WELCOME. */
  double lastWelcomeS;
  int grantMismatches;
  /** HELLO sent to WELCOME received, in microseconds. */
  final RttHistogram welcomeUs = new RttHistogram();
  /** GOODBYE reasons received, with counts. */
  final Map<String, Integer> goodbyeReasons = new TreeMap<>();
  ServerSampler.Sample serverStart;
  ServerSampler.Sample serverSteady;
  ServerSampler.Sample serverEnd;
  Boolean serverAlive;

  /** The summary as an aligned two-column table. */
  String table() {
    StringBuilder b = new StringBuilder();
    row(b, "connections held", openAtEnd + " of " + connsTarget);
    row(b, "connect failures", connectFailures + (lastConnectError == null ? ""
        : " (last: " + lastConnectError + ")"));
    row(b, "heartbeats sent / acks", hbSent + " / " + acks + " (blocked " + hbBlocked + ")");
    row(b, "steady window", String.format(Locale.ROOT, "%.1f s, %d heartbeats, %.0f hb/s",
        steadyS, hbSentSteady, steadyS > 0 ? hbSentSteady / steadyS : 0.0));
    row(b, "ack RTT us p50/p99/p999/max", quantiles(rtt));
    row(b, "  steady window", quantiles(rttSteady));
    row(b, "unexpected closes", Integer.toString(unexpectedCloses));
    row(b, "frozen / closed / open", frozen + " / " + frozenClosed + " / " + frozenOpenAtEnd);
    row(b, "detection ms min/p50/max", detectMs.count() == 0 ? "-"
        : min(detectMs) + " / " + detectMs.quantile(0.5) + " / " + detectMs.max());
    row(b, "goodbyes / probes / data / bad", goodbyes + " / " + probes + " / " + dataFrames
        + " / " + badFrames + (goodbyeReasons.isEmpty() ? "" : " " + goodbyeReasons));
    if (sessions) {
      row(b, "sessions welcomed", welcomed + " of " + connsTarget + String.format(Locale.ROOT,
          " (%.0f/s; last at %.1f s; grant != interval: %d)", welcomeRate(), lastWelcomeS,
          grantMismatches));
      row(b, "HELLO->WELCOME us p50/p99/p999/max", quantiles(welcomeUs));
    }
    if (serverEnd != null) {
      long hb = Math.max(1, hbSentSteady);
      row(b, "server CPU ms per 1k hb (steady)", serverSteady == null || serverSteady.cpuMs() == null
          || serverEnd.cpuMs() == null ? "n/a" : String.format(Locale.ROOT, "%.1f",
          (serverEnd.cpuMs() - serverSteady.cpuMs()) * 1000.0 / hb));
      row(b, "server RSS KiB start/end", serverStart.rssKib() + " / " + serverEnd.rssKib());
    }
    return b.toString();
  }

  /** The summary as one JSON object on one line. */
  String json() {
    StringBuilder b = new StringBuilder("{");
    field(b, "conns_target", connsTarget);
    field(b, "conns_open_at_end", openAtEnd);
    field(b, "connect_failures", connectFailures);
    field(b, "hb_sent", hbSent);
    field(b, "acks", acks);
    b.append("\"rtt_us\":").append(histogram(rtt)).append(',');
    field(b, "unexpected_closes", unexpectedCloses);
    field(b, "frozen", frozen);
    field(b, "frozen_closed", frozenClosed);
    b.append("\"detect_ms\":").append(detectMs.count() == 0 ? "{\"min\":null,\"p50\":null,"
        + "\"max\":null}" : "{\"min\":" + min(detectMs) + ",\"p50\":" + detectMs.quantile(0.5)
        + ",\"max\":" + detectMs.max() + "}").append(',');
    field(b, "bad_frames", badFrames);
    b.append("\"rtt_us_steady\":").append(histogram(rttSteady)).append(',');
    b.append(String.format(Locale.ROOT, "\"elapsed_s\":%.3f,\"ramp_s\":%.3f,\"settle_s\":%d,"
        + "\"steady_s\":%.3f,", elapsedS, rampS, settleS, steadyS));
    field(b, "hb_sent_steady", hbSentSteady);
    field(b, "acks_steady", acksSteady);
    field(b, "hb_blocked", hbBlocked);
    field(b, "goodbyes", goodbyes);
    field(b, "data_frames", dataFrames);
    field(b, "probes", probes);
    field(b, "frozen_open_at_end", frozenOpenAtEnd);
    field(b, "interval_ms", intervalMs);
    if (sessions) {
      field(b, "welcomed", welcomed);
      b.append(String.format(Locale.ROOT, "\"last_welcome_s\":%.3f,\"welcome_rate\":%.1f,",
          lastWelcomeS, welcomeRate()));
      field(b, "grant_mismatches", grantMismatches);
      b.append("\"welcome_us\":").append(histogram(welcomeUs)).append(',');
    }
    JsonObject reasons = new JsonObject();
    goodbyeReasons.forEach(reasons::put);
    b.append("\"goodbye_reasons\":").append(reasons.encode()).append(',');
    b.append("\"generator\":\"java\"");
    if (serverEnd != null) {
      b.append(",\"server\":{\"pid_alive_at_end\":").append(serverAlive)
          .append(",\"cpu_ms_start\":").append(serverStart.cpuMs())
          .append(",\"cpu_ms_steady\":").append(serverSteady == null ? null : serverSteady.cpuMs())
          .append(",\"cpu_ms_end\":").append(serverEnd.cpuMs())
          .append(",\"rss_kib_start\":").append(serverStart.rssKib())
          .append(",\"rss_kib_steady\":").append(serverSteady == null ? null
              : serverSteady.rssKib())
          .append(",\"rss_kib_end\":").append(serverEnd.rssKib())
          .append(",\"hwm_kib_end\":").append(serverEnd.hwmKib()).append('}');
    }
    return b.append('}').toString();
  }

  /** Sessions opened per second, from the start to the last WELCOME. */
  private double welcomeRate() {
    return lastWelcomeS > 0 ? welcomed / lastWelcomeS : 0.0;
  }

  private static long min(RttHistogram h) {
    return h.quantile(0);
  }

  private static String quantiles(RttHistogram h) {
    return h.count() == 0 ? "-" : h.quantile(0.5) + " / " + h.quantile(0.99) + " / "
        + h.quantile(0.999) + " / " + h.max();
  }

  private static String histogram(RttHistogram h) {
    if (h.count() == 0) {
      return "{\"p50\":null,\"p99\":null,\"p999\":null,\"max\":null}";
    }
    return "{\"p50\":" + h.quantile(0.5) + ",\"p99\":" + h.quantile(0.99) + ",\"p999\":"
        + h.quantile(0.999) + ",\"max\":" + h.max() + "}";
  }

  private static void field(StringBuilder b, String key, long value) {
    b.append('"').append(key).append("\":").append(value).append(',');
  }

  private static void row(StringBuilder b, String name, String value) {
    b.append(String.format(Locale.ROOT, "| %-33s | %s%n", name, value));
  }
}
