package io.heartbeat.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The classic C client (src/test/c/classic_client.c) as a process of its own: the lightest real
 * peer to freeze with SIGSTOP or to run inside a network namespace. It heartbeats every interval
 * and prints "ack N" per ack, "goodbye REASON" and "closed-after-last-ms D" when the service
 * closes it.
 */
final class CClient implements AutoCloseable {

  static final Path BINARY = Path.of("target", "classic_client");
  private static final Path SOURCE = Path.of("src", "test", "c", "classic_client.c");

  final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<Map.Entry<String, CompletableFuture<String>>> waiters =
      new CopyOnWriteArrayList<>();

  private CClient(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
          for (Map.Entry<String, CompletableFuture<String>> w : waiters) {
            if (line.contains(w.getKey())) {
              w.getValue().complete(line);
            }
          }
        }
      } catch (IOException e) {
        lines.add("reader: " + e);
      }
    }, "c-client-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Builds the client with gcc unless an up-to-date binary exists.
   *
   * @throws IllegalStateException naming the reason when it cannot be built (no gcc)
   */
  static synchronized void build() throws Exception {
    if (Files.isExecutable(BINARY)
        && Files.getLastModifiedTime(BINARY).compareTo(Files.getLastModifiedTime(SOURCE)) >= 0) {
      return;
    }
    Process gcc;
    try {
      gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-o", BINARY.toString(), SOURCE.toString())
          .redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot build the C client (is gcc installed?): " + e);
    }
    String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
      throw new IllegalStateException("gcc failed: " + output);
    }
  }

  /**
   * Starts a client towards {@code host:port} that heartbeats every {@code intervalMs},
   * behind {@code prefix} (for example {@code ip netns exec NS}); empty prefix for none.
   */
  static CClient start(int port, long intervalMs, String host, List<String> prefix)
      throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(BINARY.toAbsolutePath().toString(), String.valueOf(port),
        String.valueOf(intervalMs), "100000000", host));
    return new CClient(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  /** Completes with the first line, printed already or to come, that contains {@code text}. */
  CompletableFuture<String> line(String text) {
    CompletableFuture<String> found = new CompletableFuture<>();
    waiters.add(Map.entry(text, found));
    lines.stream().filter(l -> l.contains(text)).findFirst().ifPresent(found::complete);
    return found;
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  /** Sends a signal by name (STOP, CONT) with kill(1). */
  void signal(String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
        .start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        signal("CONT");
      } catch (Exception e) {
        // Already gone.
      }
      process.destroyForcibly();
    }
  }
}
