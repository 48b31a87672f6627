package io.heartbeat.conformance;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The service's main in a JVM of its own, so SIGSTOP freezes the server and nothing else;
 * settings become {@code -Dheartbeat.<key>} properties.
 */
final class ProcessServer implements ServerDriver {

  private final JsonObject settings;
  private final int port;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private Process process;

  ProcessServer(JsonObject scenarioSettings) throws Exception {
    this.settings = scenarioSettings;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    start();
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public void start() throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-Dheartbeat.host=127.0.0.1", "-Dheartbeat.port=" + port,
        "-Dheartbeat.admin.enabled=false", "-Dheartbeat.configScanMs=0"));
    settings.forEach(e -> command.add("-Dheartbeat." + e.getKey() + "=" + e.getValue()));
    command.add("io.heartbeat.HeartbeatApplication");
    process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<Void> listening = new CompletableFuture<>();
    Process started = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
          if (line.contains("listening on")) {
            listening.complete(null);
          }
        }
      } catch (IOException e) {
        lines.add("reader: " + e);
      }
      listening.completeExceptionally(new IllegalStateException("server exited: " + lines));
    }, "server-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    listening.get(60, TimeUnit.SECONDS);
  }

  @Override
  public void kick() {
    throw new UnsupportedOperationException("kick needs the in-process service");
  }

  @Override
  public void sendData(int bytes) {
    throw new UnsupportedOperationException("sendData needs the in-process service");
  }

  @Override
  public void stop() throws Exception {
    process.destroy();
    process.waitFor(20, TimeUnit.SECONDS);
  }

  @Override
  public void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      try {
        signal("CONT");
      } catch (Exception e) {
        // Gone already.
      }
      process.destroyForcibly();
    }
  }
}
