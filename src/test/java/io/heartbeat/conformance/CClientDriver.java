package io.heartbeat.conformance;

import io.heartbeat.cclient.CBuild;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The C client: the hbclient example as a process; its stdout lines are the events. */
final class CClientDriver implements ClientDriver {

  private Process process;

  @Override
  public String name() {
    return "C (hbclient)";
  }

  @Override
  public void start(int port, JsonObject o, EventLog log) throws Exception {
    List<String> command = new ArrayList<>(List.of(CBuild.hbclient().toString(),
        "--host", "127.0.0.1", "--port", String.valueOf(port),
        // With a client id, --interval-ms is what the HELLO asks for (0: the server's tick).
        "--interval-ms", String.valueOf(o.getString("clientId") == null
            ? o.getLong("intervalMs", 3000L) : o.getLong("requestedIntervalMs", 0L)),
        "--server-timeout-ms", String.valueOf(o.getLong("serverTimeoutMs", 0L)),
        "--reconnect-initial-ms", String.valueOf(o.getLong("reconnectInitialMs", 100L)),
        "--reconnect-max-ms", String.valueOf(o.getLong("reconnectMaxMs", 30_000L))));
    if (o.getBoolean("bigEndian", false)) {
      command.add("--be");
    }
    if (o.getLong("dataEveryMs", 0L) > 0) {
      command.addAll(List.of("--data-every-ms", String.valueOf(o.getLong("dataEveryMs"))));
    }
    if (o.getString("clientId") != null) {
      command.addAll(List.of("--client-id", o.getString("clientId")));
    }
    if (o.getString("token") != null) {
      command.addAll(List.of("--token", o.getString("token")));
    }
    process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Process started = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          int space = line.indexOf(' ');
          log.add(Long.parseLong(line.substring(0, space)), line.substring(space + 1));
        }
      } catch (IOException | RuntimeException e) {
        log.add(System.nanoTime() / 1_000_000, "reader-error " + e);
      }
    }, "hbclient-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  @Override
  public void close() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
