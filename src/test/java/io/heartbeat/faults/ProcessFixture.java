package io.heartbeat.faults;

import io.heartbeat.testing.Prerequisites;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Real processes for fault tests: the service's own main in a separate JVM, and the classic C
 * client (src/test/c/classic_client.c), so SIGSTOP freezes exactly one side.
 */
final class ProcessFixture {

  static final Path CLIENT = Path.of("target", "classic_client");

  /** A started process and every line it printed so far. */
  static final class Running {
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();
    final CompletableFuture<String> listening = new CompletableFuture<>();
    private final List<Map.Entry<String, CompletableFuture<String>>> waiters =
        new CopyOnWriteArrayList<>();

    Running(Process process) {
      this.process = process;
      Thread reader = new Thread(() -> {
        try (BufferedReader out = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            lines.add(line);
            if (line.contains("Heartbeat listening")) {
              listening.complete(line);
            }
            for (Map.Entry<String, CompletableFuture<String>> w : waiters) {
              if (line.contains(w.getKey())) {
                w.getValue().complete(line);
              }
            }
          }
        } catch (IOException e) {
          lines.add("reader: " + e);
        }
      }, "output-of-" + process.pid());
      reader.setDaemon(true);
      reader.start();
    }

    /** Completes with the first line (already printed or to come) that contains {@code text}. */
    CompletableFuture<String> line(String text) {
      CompletableFuture<String> found = new CompletableFuture<>();
      waiters.add(Map.entry(text, found));
      lines.stream().filter(l -> l.contains(text)).findFirst().ifPresent(found::complete);
      return found;
    }

    void signal(String name) throws Exception {
      Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid()))
          .start();
      assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0,
          "kill -" + name + " failed");
    }

    boolean printed(String text) {
      return lines.stream().anyMatch(l -> l.contains(text));
    }

    void stop() {
      process.destroyForcibly();
    }
  }

  private ProcessFixture() {
  }

  /** Builds the C client once (skips the test when gcc is missing). */
  static void buildClient() throws Exception {
    Path source = Path.of("src/test/c/classic_client.c");
    if (Files.isExecutable(CLIENT)
        && Files.getLastModifiedTime(CLIENT).compareTo(Files.getLastModifiedTime(source)) >= 0) {
      return;
    }
    Process gcc;
    try {
      gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-o", CLIENT.toString(),
          "src/test/c/classic_client.c").redirectErrorStream(true).start();
    } catch (IOException e) {
      Prerequisites.missing("cannot build the C client: " + e.getMessage(),
          "apt-get install gcc");
      return;
    }
    String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc: " + output);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts the service's main in its own JVM with HEARTBEAT_* settings; waits until it listens. */
  static Running startServer(Map<String, String> settings) throws Exception {
    return startServer(settings, List.of());
  }

  /** Like {@link #startServer(Map)}, the command run behind {@code prefix} (ip netns exec ...). */
  static Running startServer(Map<String, String> settings, List<String> prefix) throws Exception {
    List<String> command = new java.util.ArrayList<>(prefix);
    command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.heartbeat.HeartbeatApplication"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("HEARTBEAT_ADMIN_ENABLED", "false");
    builder.environment().put("HEARTBEAT_CONFIG_SCAN_MS", "0");
    builder.environment().putAll(settings);
    Running server = new Running(builder.start());
    try {
      server.listening.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      server.stop();
      throw new AssertionError("server did not start: " + server.lines, e);
    }
    return server;
  }

  /** Starts the C client: {@code heartbeats} heartbeats every {@code intervalMs}, then silent. */
  static Running startClient(int port, long intervalMs, int heartbeats) throws IOException {
    return startClient(port, intervalMs, heartbeats, "127.0.0.1", List.of());
  }

  /** The C client towards {@code host}, run behind {@code prefix} (ip netns exec ...). */
  static Running startClient(int port, long intervalMs, int heartbeats, String host,
      List<String> prefix) throws IOException {
    List<String> command = new java.util.ArrayList<>(prefix);
    command.addAll(List.of(CLIENT.toAbsolutePath().toString(), String.valueOf(port),
        String.valueOf(intervalMs), String.valueOf(heartbeats), host));
    return new Running(new ProcessBuilder(command).redirectErrorStream(true).start());
  }
}
