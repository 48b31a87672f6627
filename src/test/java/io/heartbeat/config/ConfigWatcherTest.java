package io.heartbeat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heartbeat.bus.Addresses;
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
import java.util.HashMap;
import java.util.Properties;
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
        // firstFrameTimeoutMs: 0 means the window; an explicit value is at least a tick.
        return s == Settings.FIRST_FRAME_TIMEOUT_MS && (Long) running == 0 ? 3_600_000L
            : (Long) running + 1;
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
    ConfigLoader loader = new ConfigLoader(new HashMap<>(), new Properties());
    HeartbeatConfig running = loader.load(file, true);
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
        new ConfigWatcherVerticle(file, loader, running)))
        .onComplete(ctx.succeeding(id -> ctx.verify(() -> {
          Setting first = todo.peek();
          current.put(first.key(), changed(first, running.value(first)));
          write(file, current);
        })));
  }
}
