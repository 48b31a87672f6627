package io.heartbeat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.bus.Addresses;
import io.heartbeat.testing.LogCapture;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every reloadable key, changed in the file while running, is published as applied; keys that
 * need a restart keep their running value; a bad file changes nothing.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ConfigWatcherTest {

  @TempDir
  Path dir;

  private void write(Path file, JsonObject json) throws Exception {
    Path tmp = dir.resolve("next.json");
    Files.writeString(tmp, json.encodePrettily());
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static Object changed(Setting s, Object running) {
    switch (s.kind()) {
      case INT:
        return (Integer) running + 1;
      case LONG:
        // An explicit first-frame timeout must be at least tickMs; 0 (the window) is the default.
        return s == Settings.FIRST_FRAME_TIMEOUT_MS ? (Long) running + 10_000 : (Long) running + 1;
      case BOOLEAN:
        return !(Boolean) running;
      default:
        throw new IllegalStateException("no reloadable " + s.kind() + " setting expected");
    }
  }

  @Test
  void appliesEachReloadableKeyKeepsRestartKeysAndRejectsABadFile(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    Path file = dir.resolve("config.json");
    JsonObject base = new JsonObject().put("configScanMs", 20).put("maxMissed", 50)
        .put("probeAfterMissed", 2);
    write(file, base);
    HeartbeatConfig running = ConfigLayers.validate(
        new JsonObject().put(ConfigLayers.FILE_CONTENT, base.encode()), file.toString(),
        new JsonObject());
    Deque<Setting> todo = new ArrayDeque<>();
    for (Setting s : Settings.all()) {
      if (s.reloadable()) {
        todo.add(s);
      }
    }
    JsonObject current = base.copy();
    int[] step = {0};
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG_CHANGED, m -> ctx.verify(() -> {
      HeartbeatConfig published = HeartbeatConfig.fromJson(m.body());
      Setting s = todo.poll();
      assertEquals(current.getValue(s.key()), published.value(s), s.key() + " not applied");
      // The restart-only port changed in the file too, but keeps its running value.
      assertEquals(running.port(), published.port());
      if (step[0] == -1) {
        ctx.completeNow();
        return;
      }
      if (todo.isEmpty()) {
        // A file that fails validation: nothing is published; the next valid change is.
        write(file, new JsonObject().put("tickMs", "soon"));
        vertx.setTimer(100, t -> ctx.verify(() -> {
          write(file, current.put("detectionEnabled", !current.getBoolean("detectionEnabled")));
          step[0] = -1;
        }));
        todo.add(Settings.DETECTION_ENABLED);
        return;
      }
      Setting next = todo.peek();
      current.put(next.key(), changed(next, published.value(next)));
      write(file, current.put("port", 16000 + ++step[0]));
    })).completion().compose(v -> vertx.deployVerticle(
        new ConfigWatcherVerticle(ConfigSources.of(file), running)))
        .onComplete(ctx.succeeding(id -> ctx.verify(() -> {
          Setting first = todo.peek();
          current.put(first.key(), changed(first, running.value(first)));
          write(file, current);
        })));
  }

  @Test
  void aFileThatCannotBeReadIsReportedOnceAndChangesNothingUntilItReturns(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    Path file = dir.resolve("config.json");
    JsonObject base = new JsonObject().put("configScanMs", 20);
    write(file, base);
    HeartbeatConfig running = ConfigLayers.validate(
        new JsonObject().put(ConfigLayers.FILE_CONTENT, base.encode()), file.toString(),
        new JsonObject());
    LogCapture log = LogCapture.of(ConfigWatcherVerticle.class);
    List<JsonObject> published = new CopyOnWriteArrayList<>();
    Promise<JsonObject> returned = Promise.promise();
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG_CHANGED, m -> {
      published.add(m.body());
      returned.tryComplete(m.body());
    }).completion()
        .compose(v -> vertx.deployVerticle(
            new ConfigWatcherVerticle(ConfigSources.of(file), running)))
        .compose(id -> vertx.executeBlocking(() -> Files.deleteIfExists(file)))
        .compose(deleted -> log.lines().first(line -> line.contains("Cannot read config file")))
        .compose(line -> {
          ctx.verify(() -> {
            assertTrue(line.startsWith("ERROR ") && line.contains(file.toString())
                && line.contains("the running settings stay"), line);
            assertFalse(line.contains("\n"), line);
          });
          // Ten more scans of the missing file.
          return vertx.timer(10 * running.configScanMs());
        })
        .compose(t -> {
          ctx.verify(() -> {
            assertEquals(1, log.lines().snapshot().size(), "once: " + log.lines().snapshot());
            assertEquals(List.of(), published, "nothing published while the file is missing");
          });
          return vertx.executeBlocking(() -> {
            write(file, base.copy().put("maxMissed", 9));
            return null;
          });
        })
        .compose(v -> returned.future())
        .onComplete(ctx.succeeding(change -> ctx.verify(() -> {
          log.close();
          assertEquals(9, change.getInteger("maxMissed"), "the file's return is applied");
          ctx.completeNow();
        })));
  }

  @Test
  void aHalfWrittenFileIsRejectedOnceThenAppliedWhenComplete(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    Path file = dir.resolve("config.json");
    JsonObject base = new JsonObject().put("configScanMs", 20);
    write(file, base);
    HeartbeatConfig running = ConfigLayers.validate(
        new JsonObject().put(ConfigLayers.FILE_CONTENT, base.encode()), file.toString(),
        new JsonObject());
    LogCapture log = LogCapture.of(ConfigWatcherVerticle.class);
    String complete = base.copy().put("maxMissed", 8).encodePrettily();
    Promise<JsonObject> applied = Promise.promise();
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG_CHANGED,
        m -> applied.tryComplete(m.body())).completion()
        .compose(v -> vertx.deployVerticle(
            new ConfigWatcherVerticle(ConfigSources.of(file), running)))
        // Written in place, as an editor without atomic save does: first half, then the rest.
        .compose(id -> vertx.executeBlocking(() -> Files.writeString(file,
            complete.substring(0, complete.length() / 2))))
        .compose(half -> log.lines().first(line -> line.contains("Rejected")))
        .compose(line -> {
          ctx.verify(() -> assertTrue(line.contains("not a valid JSON object")
              && line.contains(file.toString()) && !line.contains("\n"), line));
          return vertx.executeBlocking(() -> Files.writeString(file, complete));
        })
        .compose(whole -> applied.future())
        .onComplete(ctx.succeeding(change -> ctx.verify(() -> {
          assertEquals(8, change.getInteger("maxMissed"));
          assertEquals(1, log.lines().snapshot().stream().filter(l -> l.contains("Rejected"))
              .count(), "rejected once: " + log.lines().snapshot());
          log.close();
          ctx.completeNow();
        })));
  }

  @Test
  void aFileTruncatedToEmptyWhileBeingWrittenKeepsTheRunningSettings(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    Path file = dir.resolve("config.json");
    JsonObject base = new JsonObject().put("configScanMs", 20).put("maxMissed", 7);
    write(file, base);
    HeartbeatConfig running = ConfigLayers.validate(
        new JsonObject().put(ConfigLayers.FILE_CONTENT, base.encode()), file.toString(),
        new JsonObject());
    LogCapture log = LogCapture.of(ConfigWatcherVerticle.class);
    Promise<JsonObject> firstChange = Promise.promise();
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG_CHANGED,
        m -> firstChange.tryComplete(m.body())).completion()
        .compose(v -> vertx.deployVerticle(
            new ConfigWatcherVerticle(ConfigSources.of(file), running)))
        .compose(id -> vertx.executeBlocking(() -> Files.writeString(file, "")))
        .compose(empty -> log.lines().first(line -> line.contains("is empty")))
        .compose(line -> vertx.executeBlocking(() -> Files.writeString(file,
            base.copy().put("maxMissed", 8).encode())))
        .compose(whole -> firstChange.future())
        .onComplete(ctx.succeeding(change -> ctx.verify(() -> {
          assertEquals(8, change.getInteger("maxMissed"),
              "the empty reading was not applied as the defaults (maxMissed 5)");
          log.close();
          ctx.completeNow();
        })));
  }

  @Test
  void aDefaultFileAbsentAtStartIsReadWhenItAppearsAndKeptWhenItGoes(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    Path file = dir.resolve("config.json");
    ConfigSources sources = ConfigSources.forMain(file, false,
        new JsonObject().put("configScanMs", 20));
    HeartbeatConfig running = sources.validate(new JsonObject());
    LogCapture log = LogCapture.of(ConfigWatcherVerticle.class);
    Promise<JsonObject> appeared = Promise.promise();
    List<JsonObject> published = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG_CHANGED, m -> {
      published.add(m.body());
      appeared.tryComplete(m.body());
    }).completion()
        .compose(v -> vertx.deployVerticle(new ConfigWatcherVerticle(sources, running)))
        .compose(id -> vertx.executeBlocking(() -> {
          write(file, new JsonObject().put("maxMissed", 7));
          return null;
        }))
        .compose(v -> appeared.future())
        .compose(change -> {
          ctx.verify(() -> assertEquals(7, change.getInteger("maxMissed")));
          return vertx.executeBlocking(() -> Files.deleteIfExists(file));
        })
        .compose(deleted -> log.lines().first(line -> line.contains("disappeared")))
        .compose(line -> vertx.timer(10 * 20).map(line))
        .onComplete(ctx.succeeding(line -> ctx.verify(() -> {
          log.close();
          assertTrue(line.startsWith("ERROR ") && line.contains("the running settings stay"),
              line);
          assertEquals(1, published.size(), "nothing more published: " + published);
          assertEquals(1, log.lines().snapshot().stream()
              .filter(l -> l.contains("disappeared")).count(), "once");
          ctx.completeNow();
        })));
  }

  @Test
  void aChangedSecretIsReportedWithoutItsValue(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    String before = "first-secret-value";
    String after = "second-secret-value";
    Path file = dir.resolve("config.json");
    JsonObject base = new JsonObject().put("configScanMs", 20).put("auth.mode", "jwt")
        .put("auth.jwtSecret", before);
    write(file, base);
    HeartbeatConfig running = ConfigLayers.validate(
        new JsonObject().put(ConfigLayers.FILE_CONTENT, base.encode()), file.toString(),
        new JsonObject());
    LogCapture log = LogCapture.of(ConfigWatcherVerticle.class);
    vertx.deployVerticle(new ConfigWatcherVerticle(ConfigSources.of(file), running))
        .compose(id -> vertx.executeBlocking(() -> {
          write(file, base.copy().put("auth.jwtSecret", after));
          return null;
        }))
        .compose(v -> log.lines().first(line -> line.contains("auth.jwtSecret")))
        .onComplete(ctx.succeeding(line -> ctx.verify(() -> {
          log.close();
          assertTrue(line.startsWith("WARN ") && line.contains("from (hidden) to (hidden)")
              && line.contains("after a restart"), line);
          for (String seen : log.lines().snapshot()) {
            assertFalse(seen.contains(before) || seen.contains(after), seen);
          }
          ctx.completeNow();
        })));
  }
}
