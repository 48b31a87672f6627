package io.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real main, run as a separate JVM from the project directory (so it uses the project's
 * logback configuration, as in production): start-up failures end with their exit code and
 * one clear line, never a stack trace.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeartbeatApplicationTest {

  @TempDir
  Path dir;

  /** What a finished run printed (stdout and stderr together) and its exit code. */
  private record Run(int exitCode, String output) {

    List<String> lines() {
      return output.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  @Test
  void exitsWithCode1AndOneLineWhenThePortIsInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
      int port = taken.getLocalPort();
      Run run = runMain(Map.of(), "-Dheartbeat.port=" + port);
      assertEquals(1, run.exitCode(), run.output());
      assertEquals(1, run.lines().size(), "one line: " + run.output());
      String line = run.lines().get(0);
      assertTrue(line.contains("Cannot listen on") && line.contains(":" + port), line);
      assertFalse(run.output().contains("\tat "), "no stack trace: " + run.output());
    }
  }

  @Test
  void exitsWithCode2AndOneLineNamingABadSetting() throws Exception {
    Run run = runMain(Map.of("HEARTBEAT_TICK_MS", "abc"));
    assertEquals(2, run.exitCode(), run.output());
    assertEquals(1, run.lines().size(), "one line: " + run.output());
    String line = run.lines().get(0);
    assertTrue(line.contains("tickMs") && line.contains("abc")
        && line.contains("HEARTBEAT_TICK_MS"), "names the key, the value and its source: " + line);
    assertFalse(run.output().contains("\tat "), "no stack trace: " + run.output());
  }

  /**
   * Runs {@code java [jvmArgs] -cp <this classpath> io.heartbeat.HeartbeatApplication -conf F}
   * where F sets two I/O instances and no file scanning, with {@code env} added to an
   * environment cleared of HEARTBEAT_ variables.
   */
  private Run runMain(Map<String, String> env, String... jvmArgs)
      throws IOException, InterruptedException {
    Path conf = dir.resolve("config.json");
    Files.writeString(conf, "{\"ioInstances\": 2, \"configScanMs\": 0}");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmArgs));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        HeartbeatApplication.class.getName(), "-conf", conf.toString()));
    Path output = dir.resolve("output.txt");
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(Path.of("").toAbsolutePath().toFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("HEARTBEAT_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(50, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the service did not exit: " + Files.readString(output));
    }
    return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }
}
