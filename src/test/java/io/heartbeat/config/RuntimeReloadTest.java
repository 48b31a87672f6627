package io.heartbeat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.HeartbeatService;
import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.testing.FrameClient;
import io.heartbeat.testing.JvmWarmUp;
import io.heartbeat.testing.LogCapture;
import io.heartbeat.testing.ServiceEvents;
import io.heartbeat.testing.StallLog;
import io.heartbeat.testing.TestServices;
import io.heartbeat.testing.Window;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Run-time reload of the config file: a valid change (here detectionEnabled=false) applies to
 * the running service; an invalid file is rejected with one log line and changes nothing.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
class RuntimeReloadTest {

  private static final String REJECTED = "Rejected the changed config file";

  @TempDir
  Path dir;
  private Path file;
  private HeartbeatConfig config;
  private Window window;
  private ServiceEvents events;
  private HeartbeatService service;
  private LogCapture watcherLog;

  /** The settings the service starts with, scanned every 50 ms. */
  private static JsonObject initialSettings() {
    return TestServices.defaults().put("configScanMs", 50);
  }

  static Stream<Arguments> invalidFiles() {
    // Each one also turns detection off: had any part of it been applied, the silent client of
    // the test would stay open.
    String off = "\"detectionEnabled\": false";
    String base = initialSettings().encode();
    String start = base.substring(0, base.length() - 1) + ", " + off;
    return Stream.of(
        Arguments.of("tickMs below its minimum", start + ", \"tickMs\": 5}", "tickMs"),
        Arguments.of("probeAfterMissed not below maxMissed",
            start + ", \"probeEnabled\": true, \"probeAfterMissed\": 3}", "probeAfterMissed"),
        Arguments.of("unknown key", start + ", \"tickMS\": 50}", "tickMS"),
        Arguments.of("not JSON", start, "not a valid JSON object"));
  }

  @BeforeEach
  void startWithAConfigFile(Vertx vertx, VertxTestContext ctx) throws Exception {
    StallLog.install();
    JvmWarmUp.once();
    watcherLog = LogCapture.of(ConfigWatcherVerticle.class);
    file = dir.resolve("config.json");
    Files.writeString(file, initialSettings().encodePrettily(), StandardCharsets.UTF_8);
    // The file alone: the environment of the test JVM must not change the settings.
    config = ConfigLayers.validate(new JsonObject().put(ConfigLayers.FILE_CONTENT,
        Files.readString(file)), file.toString(), new JsonObject());
    window = Window.of(config);
    ServiceEvents.listen(vertx)
        .compose(e -> {
          events = e;
          return HeartbeatService.start(vertx, config, file, 0);
        })
        .onComplete(ctx.succeeding(s -> {
          service = s;
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stopCapturing() {
    watcherLog.close();
  }

  @Test
  void stopsClosingSilentConnectionsOnceTheFileTurnsDetectionOff(Vertx vertx,
      VertxTestContext ctx) {
    Checkpoint closedBeforeOpenAfter = ctx.checkpoint();
    long waitMs = 4 * window.upperMs();
    // Before the change, a silent connection is closed...
    FrameClient.connect(vertx, service.port())
        .compose(before -> events.idOf(before).compose(events::closed))
        .compose(closed -> {
          ctx.verify(() -> assertEquals(LifecycleEvents.TIMEOUT, closed.getString("reason")));
          return vertx.executeBlocking(() -> rewrite(
              initialSettings().put("detectionEnabled", false).encodePrettily()));
        })
        .compose(written -> events.configChanges().at(0))
        // ...after it, one stays open for four windows.
        .compose(change -> {
          ctx.verify(() -> assertFalse(change.getBoolean("detectionEnabled")));
          return FrameClient.connect(vertx, service.port());
        })
        .compose(after -> events.idOf(after).map(id -> Map.entry(after, id)))
        .onComplete(ctx.succeeding(after -> vertx.setTimer(waitMs, t -> ctx.verify(() -> {
          assertFalse(after.getKey().isClosed(), "closed although detection is now off");
          assertFalse(events.hasClosed(after.getValue()));
          assertEquals(0, after.getKey().bytesReceived());
          closedBeforeOpenAfter.flag();
        }))));
  }

  @Test
  void staysReadyWhenTheFileRaisesTheTick(Vertx vertx, VertxTestContext ctx) {
    long tickMs = 8 * config.tickMs();
    vertx.executeBlocking(() -> rewrite(initialSettings().put("tickMs", tickMs).encodePrettily()))
        .compose(written -> events.configChanges().at(0))
        .onComplete(ctx.succeeding(change -> {
          ctx.verify(() -> assertEquals(tickMs, change.getLong("tickMs")));
          // Sampled over more than two of the new ticks: readiness must judge "the monitor
          // ticked within two ticks" by the new tick, not the one the service started with.
          long[] samples = {0};
          vertx.setPeriodic(20, timer -> ctx.verify(() -> {
            assertTrue(service.isReady(), "not ready " + samples[0] * 20 + " ms after the tick"
                + " went from " + config.tickMs() + " to " + tickMs + " ms");
            if (++samples[0] * 20 > 2.5 * tickMs) {
              vertx.cancelTimer(timer);
              ctx.completeNow();
            }
          }));
        }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFiles")
  void rejectsAnInvalidFileAndKeepsTheRunningSettings(String name, String content,
      String named, Vertx vertx, VertxTestContext ctx) {
    Checkpoint rejectedAndUnchanged = ctx.checkpoint();
    vertx.executeBlocking(() -> rewrite(content))
        .compose(written -> watcherLog.lines().first(line -> line.contains(REJECTED)))
        .compose(rejection -> {
          ctx.verify(() -> {
            assertTrue(rejection.startsWith("ERROR "), rejection);
            assertTrue(rejection.contains(named), "the rejection names the problem: "
                + rejection);
            assertFalse(rejection.contains("\n"), "one line: " + rejection);
          });
          // The running settings stay: a silent connection is closed in the old window.
          return FrameClient.connect(vertx, service.port());
        })
        .compose(client -> events.idOf(client)
            .compose(id -> Future.all(client.closed(), events.closed(id)))
            .map(both -> Map.entry(client, both)))
        .onComplete(ctx.succeeding(closed -> ctx.verify(() -> {
          FrameClient client = closed.getKey();
          window.assertClosedInside("a silent connection after the rejection",
              client.connectedNanos(), closed.getValue().resultAt(0));
          assertEquals(LifecycleEvents.TIMEOUT,
              closed.getValue().<JsonObject>resultAt(1).getString("reason"));
          assertEquals(0, events.configChanges().size(), "no configuration change published");
          assertEquals(1, watcherLog.lines().snapshot().stream()
              .filter(line -> line.contains(REJECTED)).count(),
              "rejected once, not at every scan: " + watcherLog.lines().snapshot());
          rejectedAndUnchanged.flag();
        })));
  }

  /** Replaces the config file atomically, as an editor or a deployment tool should. */
  private Void rewrite(String content) throws IOException {
    Path next = Files.createTempFile(dir, "config", ".tmp");
    Files.writeString(next, content, StandardCharsets.UTF_8);
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return null;
  }
}
