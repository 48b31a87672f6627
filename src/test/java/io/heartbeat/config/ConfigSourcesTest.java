package io.heartbeat.config;

import static io.heartbeat.config.ConfigLayersTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real vertx-config stores: the file read through the file store (and its errors), system
 * properties through the sys store among every other JVM property, the command line on top. The
 * environment store is proven by the process tests (HeartbeatApplicationTest,
 * OpenFilesWarningTest), which can set a child's environment.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class ConfigSourcesTest {

  private static final String PROPERTY = "heartbeat.maxMissed";

  @TempDir
  Path dir;

  private static final String SESSION_PROPERTY = "heartbeat.session.minIntervalMs";

  @AfterEach
  void clearProperty() {
    System.clearProperty(PROPERTY);
    System.clearProperty(SESSION_PROPERTY);
  }

  @Test
  void readsTheFileThroughTheFileStore(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = Files.writeString(dir.resolve("config.json"),
        "{\"tickMs\": 1000, \"admin\": {\"port\": 0}}");

    ConfigSources.forMain(file, true, new JsonObject()).read(vertx)
        .onComplete(ctx.succeeding(config -> ctx.verify(() -> {
          assertEquals(1000, config.tickMs());
          assertEquals(0, config.adminPort());
          ctx.completeNow();
        })));
  }

  @Test
  void systemPropertyBeatsTheFile(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = Files.writeString(dir.resolve("config.json"), "{\"maxMissed\": 7}");
    System.setProperty(PROPERTY, "9");

    ConfigSources.forMain(file, true, new JsonObject()).read(vertx)
        .onComplete(ctx.succeeding(config -> ctx.verify(() -> {
          assertEquals(9, config.maxMissed());
          ctx.completeNow();
        })));
  }

  @Test
  void dottedSessionKeysComeFromANestedFileAndADottedProperty(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    Path file = Files.writeString(dir.resolve("config.json"),
        "{\"session\": {\"minIntervalMs\": 1200, \"maxIntervalMs\": 60000}}");
    System.setProperty(SESSION_PROPERTY, "1500");

    ConfigSources.forMain(file, true, new JsonObject()).read(vertx)
        .onComplete(ctx.succeeding(config -> ctx.verify(() -> {
          assertEquals(1500, config.sessionMinIntervalMs());
          assertEquals(60_000, config.sessionMaxIntervalMs());
          ctx.completeNow();
        })));
  }

  @Test
  void badSystemPropertyIsNamedWithItsSource(Vertx vertx, VertxTestContext ctx) {
    System.setProperty(PROPERTY, "many");

    ConfigSources.forMain(dir.resolve("absent.json"), false, new JsonObject()).read(vertx)
        .onComplete(ctx.failing(error -> ctx.verify(() -> {
          assertInstanceOf(ConfigException.class, error);
          assertMessage(error.getMessage(), "maxMissed", "\"many\"",
              "from system property -Dheartbeat.maxMissed", "an integer from 1 to 10000");
          ctx.completeNow();
        })));
  }

  @Test
  void commandLineFlagBeatsTheFile(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = Files.writeString(dir.resolve("config.json"),
        "{\"cluster\": {\"enabled\": false}}");

    ConfigSources.forMain(file, true, new JsonObject().put("cluster.enabled", true)).read(vertx)
        .onComplete(ctx.succeeding(config -> ctx.verify(() -> {
          assertTrue(config.clusterEnabled());
          ctx.completeNow();
        })));
  }

  @Test
  void missingDefaultFileMeansBuiltInDefaults(Vertx vertx, VertxTestContext ctx) {
    Path absent = dir.resolve("config.json");

    ConfigSources.forMain(absent, false, new JsonObject()).read(vertx)
        .onComplete(ctx.succeeding(config -> ctx.verify(() -> {
          // Environment and properties could differ on a developer's machine; the file's
          // absence alone must not fail and must leave file-only defaults in place.
          assertEquals(Settings.CONFIG_SCAN_MS.defaultValue(), config.configScanMs());
          ctx.completeNow();
        })));
  }

  @Test
  void rejectsAMissingFileTheUserNamed(Vertx vertx, VertxTestContext ctx) {
    Path file = dir.resolve("named-by-user.json");

    ConfigSources.forMain(file, true, new JsonObject()).read(vertx)
        .onComplete(ctx.failing(error -> ctx.verify(() -> {
          assertInstanceOf(ConfigException.class, error);
          assertMessage(error.getMessage(), file.toString(), "does not exist",
              "pass an existing file");
          ctx.completeNow();
        })));
  }

  @Test
  void rejectsAnUnreadableFile(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path notAFile = Files.createDirectory(dir.resolve("a-directory.json"));

    // Existing at start, the default file is required too: unreadable is an error, not defaults.
    ConfigSources.forMain(notAFile, false, new JsonObject()).read(vertx)
        .onComplete(ctx.failing(error -> ctx.verify(() -> {
          assertInstanceOf(ConfigException.class, error);
          assertMessage(error.getMessage(), notAFile.toString(), "Cannot read config file");
          ctx.completeNow();
        })));
  }

  @Test
  void rejectsAnInvalidFileNamingIt(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = Files.writeString(dir.resolve("config.json"), "{\"tickMs\": ");

    ConfigSources.forMain(file, true, new JsonObject()).read(vertx)
        .onComplete(ctx.failing(error -> ctx.verify(() -> {
          assertMessage(error.getMessage(), file.toString(), "not a valid JSON object");
          ctx.completeNow();
        })));
  }
}
