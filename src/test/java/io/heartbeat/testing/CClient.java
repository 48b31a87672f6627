package io.heartbeat.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The one C-client fixture: the classic C client (src/test/c/classic_client.c) as a process of
 * its own, the lightest real peer to freeze with SIGSTOP or to run inside a network namespace.
 * It heartbeats every interval and prints "ack N" per ack, "goodbye REASON" and
 * "closed-after-last-ms D" when the service closes it.
 *
 * <p>Blocking methods; call them from a test thread or {@code executeBlocking}.
 */
public final class CClient implements AutoCloseable {

  /** Where the binary is built. */
  public static final Path BINARY = Path.of("target", "classic_client");
  /** Heartbeats to send when a test wants the client to beat until it is stopped. */
  public static final int UNTIL_STOPPED = 100_000_000;
  private static final Path SOURCE = Path.of("src", "test", "c", "classic_client.c");

  private final Process process;
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
   * Builds the client with gcc unless an up-to-date binary exists (for tools).
   *
   * @throws IllegalStateException naming the reason when it cannot be built (no gcc)
   */
  public static synchronized void build() throws Exception {
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
      throw new AssertionError("gcc failed: " + output);
    }
  }

  /**
   * Builds the client for a test: a missing compiler fails the test under CI and skips it
   * elsewhere (see {@link Prerequisites}); a compile error always fails it.
   */
  public static void buildForTest() throws Exception {
    try {
      build();
    } catch (IllegalStateException e) {
      Prerequisites.missing(e.getMessage(), "apt-get install gcc");
    }
  }

  /** A client towards 127.0.0.1:{@code port} heartbeating every {@code intervalMs} until stopped. */
  public static CClient start(int port, long intervalMs) throws IOException {
    return start(port, intervalMs, UNTIL_STOPPED, "127.0.0.1", List.of());
  }

  /**
   * Starts a client towards {@code host:port} that sends {@code heartbeats} heartbeats every
   * {@code intervalMs} and then falls silent, behind {@code prefix} (for example
   * {@code ip netns exec NS}); empty prefix for none.
   */
  public static CClient start(int port, long intervalMs, int heartbeats, String host,
      List<String> prefix) throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(BINARY.toAbsolutePath().toString(), String.valueOf(port),
        String.valueOf(intervalMs), String.valueOf(heartbeats), host));
    return new CClient(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  /** Completes with the first line, printed already or to come, that contains {@code text}. */
  public CompletableFuture<String> line(String text) {
    CompletableFuture<String> found = new CompletableFuture<>();
    waiters.add(Map.entry(text, found));
    lines.stream().filter(l -> l.contains(text)).findFirst().ifPresent(found::complete);
    return found;
  }

  /** Whether a line printed so far contains {@code text}. */
  public boolean printed(String text) {
    return lines.stream().anyMatch(l -> l.contains(text));
  }

  /** Every line printed so far. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** The number of the last "ack N" line printed (0 for none). */
  public int lastAck() {
    int last = 0;
    for (String line : lines) {
      if (line.startsWith("ack ")) {
        last = Math.max(last, Integer.parseInt(line.substring(4).trim()));
      }
    }
    return last;
  }

  /** The process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the process to end; its exit code, or -1 when still running after the timeout. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /** Sends a signal by name (STOP, CONT) with kill(1). */
  public void signal(String signal) throws Exception {
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
