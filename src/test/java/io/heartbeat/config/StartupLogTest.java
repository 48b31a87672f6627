package io.heartbeat.config;

import io.heartbeat.testing.Prerequisites;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.HeartbeatApplication;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real main in its own JVM under {@code ulimit -n 512}, from the project directory (so it
 * logs through conf/logback.xml as in production): it warns once, with the fix, that
 * maxConnections cannot be reached; every line it prints carries an ISO-8601 time, in the text
 * format and in the JSON format chosen by HEARTBEAT_LOG_FORMAT (read through the env store).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StartupLogTest {

  private static final String WARNING = "Open-files limit 512 is below maxConnections 19000";

  @TempDir
  Path dir;

  @Test
  void warnsThatMaxConnectionsCannotBeReachedUnderTheOpenFilesLimit() throws Exception {
    List<String> lines = startUntilListening(Map.of());

    List<String> warnings = lines.stream().filter(l -> l.contains(WARNING)).toList();
    assertEquals(1, warnings.size(), "one warning: " + lines);
    String warning = warnings.get(0);
    assertTrue(warning.contains(" WARN ") && warning.contains("ulimit -n")
        && warning.contains("LimitNOFILE=") && warning.contains("maxConnections to"), warning);
    for (String line : lines) {
      OffsetDateTime.parse(line.substring(0, line.indexOf(' ')));
    }
  }

  @Test
  void printsEveryLineAsAJsonObjectWhenTheEnvironmentAsksForJson() throws Exception {
    List<String> lines = startUntilListening(Map.of("HEARTBEAT_LOG_FORMAT", "json"));

    int warnings = 0;
    for (String line : lines) {
      JsonObject json = new JsonObject(line);
      OffsetDateTime time = OffsetDateTime.parse(json.getString("time"));
      assertEquals(time.toInstant().toEpochMilli(), json.getLong("timestamp"), line);
      assertTrue(json.getString("level").matches("INFO|WARN|ERROR"), line);
      assertTrue(!json.getString("loggerName").isBlank(), line);
      if (json.getString("formattedMessage").contains(WARNING)) {
        assertEquals("WARN", json.getString("level"));
        assertEquals(HeartbeatApplication.class.getName(), json.getString("loggerName"));
        warnings++;
      }
    }
    assertEquals(1, warnings, "one warning: " + lines);
  }

  /**
   * Runs main under {@code ulimit -n 512} with a config file of port 0 and no admin API, and
   * returns what it printed up to and including the "listening" line; then kills it.
   */
  private List<String> startUntilListening(Map<String, String> env) throws Exception {
    Path bash = Path.of("/bin/bash");
    Prerequisites.require(Files.isExecutable(bash),
        "bash is needed to set ulimit -n for the child JVM", "apt-get install bash");
    Path conf = Files.writeString(dir.resolve("config.json"), new JsonObject()
        .put("host", "127.0.0.1").put("port", 0).put("ioInstances", 1).put("configScanMs", 0)
        .put("admin", new JsonObject().put("enabled", false)).encode());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(bash.toString(), "-c",
        "ulimit -n 512 && exec \"$0\" -cp \"$1\" \"$2\" -conf \"$3\"", java,
        System.getProperty("java.class.path"), HeartbeatApplication.class.getName(),
        conf.toString())
        .directory(Path.of("").toAbsolutePath().toFile())
        .redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("HEARTBEAT_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      // Blocking reads, bounded by the class timeout: the child prints "listening" or exits.
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
        if (line.contains("Heartbeat listening")) {
          return lines;
        }
      }
      throw new AssertionError("exited before listening: " + lines);
    } catch (IOException e) {
      throw new AssertionError("output: " + lines, e);
    } finally {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
