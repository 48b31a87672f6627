package io.heartbeat.conformance;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Drives one scenario (a JSON document, see src/test/resources/conformance/README.md) against
 * one client and one server: actions on the server, bounded waits for the client's event lines
 * in order, and the scenario-wide rules ("never", backoff bounds).
 */
final class ScenarioRun {

  private static final long DEFAULT_WITHIN_MS = 5000;

  private final JsonObject scenario;
  private final ServerDriver server;
  private final EventLog log;
  private final Takeover takeover;
  private int cursor;

  ScenarioRun(JsonObject scenario, ServerDriver server, EventLog log, Takeover takeover) {
    this.scenario = scenario;
    this.server = server;
    this.log = log;
    this.takeover = takeover;
  }

  /** Runs every step; throws AssertionError naming the step and showing the events. */
  void run() throws Exception {
    JsonArray steps = scenario.getJsonArray("steps");
    for (int i = 0; i < steps.size(); i++) {
      JsonObject step = steps.getJsonObject(i);
      try {
        step(step);
      } catch (TimeoutException e) {
        throw failure("step " + (i + 1) + " " + step.encode() + ": timed out");
      }
    }
    for (Object never : scenario.getJsonArray("never", new JsonArray())) {
      for (EventLog.Event e : log.events()) {
        if (e.text().startsWith((String) never)) {
          throw failure("event \"" + e.text() + "\" must never occur");
        }
      }
    }
    if (scenario.getBoolean("checkBackoff", false)) {
      checkBackoff();
    }
  }

  private void step(JsonObject step) throws Exception {
    if (step.containsKey("action")) {
      act(step);
    } else if (step.containsKey("expect")) {
      expect(step);
    } else if (step.containsKey("observeMs")) {
      // A window in which events may (or must not, see "never") happen; not a wait for one.
      CompletableFuture<Void> window = new CompletableFuture<>();
      window.completeOnTimeout(null, step.getLong("observeMs"), TimeUnit.MILLISECONDS).get();
      checkAbsent(step);
    } else {
      throw new IllegalArgumentException("unknown step " + step.encode());
    }
  }

  private void act(JsonObject step) throws Exception {
    String action = step.getString("action");
    switch (action) {
      case "kick" -> server.kick();
      case "send-data" -> server.sendData(step.getInteger("bytes", 5));
      case "stop-server" -> server.stop();
      case "start-server" -> server.start();
      case "sigstop" -> server.signal("STOP");
      case "sigcont" -> server.signal("CONT");
      case "takeover" -> takeover.take(server.port());
      default -> throw new IllegalArgumentException("unknown action " + action);
    }
  }

  private void expect(JsonObject step) throws Exception {
    String prefix = step.getString("expect");
    int times = step.getInteger("times", 1);
    long withinMs = step.getLong("withinMs", DEFAULT_WITHIN_MS);
    for (int n = 0; n < times; n++) {
      int index = log.await(prefix, cursor).get(withinMs, TimeUnit.MILLISECONDS);
      cursor = index + 1;
      if (step.containsKey("afterLast")) {
        checkGap(step, index);
      }
    }
  }

  /**
   * An observe window's {@code "absent"} prefixes: none of them occurred since the last expected
   * event (so, for example, no "connected" after a takeover's "disconnected").
   */
  private void checkAbsent(JsonObject step) {
    List<EventLog.Event> events = log.events();
    for (Object absent : step.getJsonArray("absent", new JsonArray())) {
      for (int i = cursor; i < events.size(); i++) {
        if (events.get(i).text().startsWith((String) absent)) {
          throw failure("event \"" + events.get(i).text() + "\" must not occur after event "
              + cursor + " (observe window " + step.encode() + ")");
        }
      }
    }
  }

  /** The event at {@code index} came minMs..maxMs after the last "afterLast" event before it. */
  private void checkGap(JsonObject step, int index) {
    List<EventLog.Event> events = log.events();
    String reference = step.getString("afterLast");
    for (int i = index - 1; i >= 0; i--) {
      if (events.get(i).text().startsWith(reference)) {
        long gap = events.get(index).atMs() - events.get(i).atMs();
        long min = step.getLong("minMs", 0L);
        long max = step.getLong("maxMs", Long.MAX_VALUE);
        if (gap < min || gap > max) {
          throw failure("\"" + step.getString("expect") + "\" came " + gap + " ms after the last \""
              + reference + "\"; expected " + min + ".." + max + " ms");
        }
        return;
      }
    }
    throw failure("no \"" + reference + "\" before \"" + step.getString("expect") + "\"");
  }

  /**
   * Each "reconnect in ms=D" is within its full-jitter bound min(max, initial x 2^n), n counting
   * attempts since the last connection, and the next connection came no sooner than D.
   */
  private void checkBackoff() {
    JsonObject client = scenario.getJsonObject("client");
    long initial = client.getLong("reconnectInitialMs", 100L);
    long max = client.getLong("reconnectMaxMs", 30_000L);
    List<EventLog.Event> events = log.events();
    int attempt = 0;
    int checked = 0;
    for (int i = 0; i < events.size(); i++) {
      String text = events.get(i).text();
      if (text.equals("connected")) {
        attempt = 0;
      } else if (text.startsWith("reconnect in ms=")) {
        long delay = Long.parseLong(text.substring("reconnect in ms=".length()));
        long bound = Math.min(max, initial << Math.min(attempt, 30));
        if (delay < 0 || delay > bound) {
          throw failure("reconnect delay " + delay + " ms outside 0.." + bound + " (attempt "
              + attempt + ")");
        }
        for (int j = i + 1; j < events.size(); j++) {
          if (events.get(j).text().equals("connected")) {
            // 1 ms for the two clocks' rounding to whole milliseconds.
            if (events.get(j).atMs() - events.get(i).atMs() < delay - 1) {
              throw failure("reconnected " + (events.get(j).atMs() - events.get(i).atMs())
                  + " ms after \"" + text + "\"");
            }
            break;
          }
          if (events.get(j).text().startsWith("reconnect in")) {
            break;
          }
        }
        attempt++;
        checked++;
      }
    }
    if (checked == 0) {
      throw failure("checkBackoff: no reconnect happened");
    }
  }

  private AssertionError failure(String message) {
    StringBuilder text = new StringBuilder(message).append("\nevents:");
    for (EventLog.Event e : log.events()) {
      text.append("\n  ").append(e);
    }
    return new AssertionError(text.toString());
  }
}
