package io.heartbeat.testing;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one service-process fixture: the service's own main
 * ({@code io.heartbeat.HeartbeatApplication}) in a separate JVM, started
 * from this JVM's class path with {@code HEARTBEAT_*} settings, as an operator would run it. It
 * exposes what reliability figures need from outside the process: its open files
 * ({@code /proc/PID/fd}), its heap after a full GC ({@code jcmd}), its Prometheus metrics (admin
 * API on a free loopback port), signals (SIGSTOP/SIGCONT), and its log parsed as it is printed:
 * every close line, every stall the service reports and every ERROR line. The whole log is also
 * written to {@code target/reliability/NAME-PID.log}. Stopping the process (SIGSTOP) freezes
 * exactly the service, not the test's clients.
 *
 * <p>Blocking methods; call them from a test thread or {@code executeBlocking}, never from an
 * event loop.
 */
public final class ServiceProcess implements AutoCloseable {

  /** A close line: who, why, and the service's own measure of the silence before it. */
  public record Close(String host, int port, String reason, long sinceLastFrameMs, long loggedAtMs) {
  }

  /** A stall the service reported ("could not run for N ms"), at wall-clock time. */
  public record Stall(long loggedAtMs, long millis) {
  }

  /** Lines kept in memory for {@link #tail()} and {@link #line(String)}; all go to the log. */
  private static final int TAIL_LINES = 500;
  private static final Pattern LISTENING = Pattern.compile("Heartbeat listening on [^ ]+:(\\d+)");
  private static final Pattern ADMIN = Pattern.compile("Admin API on http://[^:]+:(\\d+)");
  private static final Pattern CLOSED = Pattern.compile(
      "Connection \\d+ from ([0-9.]+):(\\d+) closed: ([a-z-]+) \\((\\d+) ms since last frame\\)");
  private static final Pattern STALL = Pattern.compile("could not run for (\\d+) ms");
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

  private final Process process;
  private final String name;
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final CompletableFuture<Integer> adminPort = new CompletableFuture<>();
  private final List<Close> closes = new CopyOnWriteArrayList<>();
  private final List<Stall> stalls = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final List<Map.Entry<Predicate<Close>, CompletableFuture<Close>>> closeWaiters =
      new CopyOnWriteArrayList<>();
  private final List<Map.Entry<String, CompletableFuture<String>>> lineWaiters =
      new CopyOnWriteArrayList<>();
  private final ArrayDeque<String> tail = new ArrayDeque<>();
  private final AtomicLong lines = new AtomicLong();
  private final Path logFile;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private ServiceProcess(Process process, String name) throws IOException {
    this.process = process;
    this.name = name;
    Path dir = Path.of("target", "reliability");
    Files.createDirectories(dir);
    this.logFile = dir.resolve(name + "-" + process.pid() + ".log");
    Thread reader = new Thread(this::readOutput, "server-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the service with {@code settings} and no extra JVM option; waits until it listens. */
  public static ServiceProcess start(String name, Map<String, String> settings)
      throws Exception {
    return start(name, settings, List.of());
  }

  /**
   * Starts the service with {@code settings} (environment variables such as
   * {@code HEARTBEAT_TICK_MS}); the client port and the admin port are picked free by the
   * service itself unless the settings name them. Waits until it listens.
   *
   * @param name names the log file
   * @param jvmOptions extra JVM options (for example a heap limit), may be empty
   */
  public static ServiceProcess start(String name, Map<String, String> settings,
      List<String> jvmOptions) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        "io.heartbeat.HeartbeatApplication"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("HEARTBEAT_"));
    env.put("HEARTBEAT_PORT", "0");
    env.put("HEARTBEAT_ADMIN_ENABLED", "true");
    env.put("HEARTBEAT_ADMIN_HOST", "127.0.0.1");
    env.put("HEARTBEAT_ADMIN_PORT", "0");
    env.put("HEARTBEAT_CONFIG_SCAN_MS", "0");
    env.putAll(settings);
    ServiceProcess server = new ServiceProcess(builder.start(), name);
    try {
      server.port.get(60, TimeUnit.SECONDS);
      server.adminPort.get(10, TimeUnit.SECONDS);
      // The HTTP client keeps its admin connection open, and the first jcmd makes the JVM open
      // its attach socket: do both now, so that they belong to every open-files baseline
      // instead of showing up as leaks later.
      server.metrics();
      server.jcmd("VM.uptime");
    } catch (Exception e) {
      server.close();
      throw new IllegalStateException("server did not start; its last lines: " + server.tail(),
          e);
    }
    return server;
  }

  private void readOutput() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        log.write(line);
        log.newLine();
        lines.incrementAndGet();
        onLine(line);
      }
    } catch (IOException e) {
      errors.add("reading the server's output failed: " + e);
    }
  }

  private void onLine(String line) {
    synchronized (tail) {
      tail.addLast(line);
      if (tail.size() > TAIL_LINES) {
        tail.removeFirst();
      }
    }
    for (Map.Entry<String, CompletableFuture<String>> w : lineWaiters) {
      if (line.contains(w.getKey())) {
        w.getValue().complete(line);
        lineWaiters.remove(w);
      }
    }
    if (!port.isDone()) {
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        port.complete(Integer.parseInt(m.group(1)));
      }
    }
    if (!adminPort.isDone()) {
      Matcher m = ADMIN.matcher(line);
      if (m.find()) {
        adminPort.complete(Integer.parseInt(m.group(1)));
      }
    }
    Matcher closed = CLOSED.matcher(line);
    if (closed.find()) {
      Close close = new Close(closed.group(1), Integer.parseInt(closed.group(2)),
          closed.group(3), Long.parseLong(closed.group(4)), loggedAt(line));
      closes.add(close);
      for (Map.Entry<Predicate<Close>, CompletableFuture<Close>> w : closeWaiters) {
        if (w.getKey().test(close)) {
          w.getValue().complete(close);
          closeWaiters.remove(w);
        }
      }
      return;
    }
    Matcher stall = STALL.matcher(line);
    if (stall.find()) {
      stalls.add(new Stall(loggedAt(line), Long.parseLong(stall.group(1))));
    }
    // Stack-trace lines and uncaught exceptions count as errors, not only ERROR-level lines.
    if (line.contains(" ERROR ") || line.startsWith("\tat ") || line.startsWith("Exception")
        || line.contains("OutOfMemoryError")) {
      errors.add(line);
    }
  }

  /** Wall-clock time of a log line (its leading ISO-8601 date and time), or now without one. */
  private static long loggedAt(String line) {
    int space = line.indexOf(' ');
    try {
      return java.time.OffsetDateTime.parse(space < 0 ? line : line.substring(0, space))
          .toInstant().toEpochMilli();
    } catch (java.time.format.DateTimeParseException e) {
      return System.currentTimeMillis();
    }
  }

  /** The client port. */
  public int port() {
    return port.join();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Every close line printed so far. */
  public List<Close> closes() {
    return List.copyOf(closes);
  }

  /** Completes with the first close line, logged already or to come, of a peer at {@code host}. */
  public CompletableFuture<Close> closeFrom(String host) {
    return closeOf(c -> c.host().equals(host));
  }

  /** Completes with the first close line, logged already or to come, that matches. */
  public CompletableFuture<Close> closeOf(Predicate<Close> match) {
    CompletableFuture<Close> found = new CompletableFuture<>();
    closeWaiters.add(Map.entry(match, found));
    closes.stream().filter(match).findFirst().ifPresent(found::complete);
    return found;
  }

  /** Every stall the service reported so far. */
  public List<Stall> stalls() {
    return List.copyOf(stalls);
  }

  /** ERROR lines, stack-trace lines and uncaught exceptions printed so far. */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  /** Lines printed so far. */
  public long lineCount() {
    return lines.get();
  }

  /** The last lines printed, for failure messages. */
  public String tail() {
    synchronized (tail) {
      return String.join("\n", tail);
    }
  }

  public Path logFile() {
    return logFile;
  }

  /** Open file descriptors of the process (sockets included). */
  public int openFiles() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid()), "fd"))) {
      return (int) fds.count();
    }
  }

  /** Heap in use right after a full GC requested with {@code jcmd PID GC.run}, in bytes. */
  public long heapAfterGc() throws Exception {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    Matcher m = HEAP_USED.matcher(info);
    if (!m.find()) {
      throw new IllegalStateException("no heap figure in jcmd GC.heap_info: " + info);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  private String jcmd(String command) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd")
        .toString(), String.valueOf(pid()), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + command + " failed: " + out);
    }
    return out;
  }

  /**
   * The service's Prometheus metrics: sample name with its labels as written (for example
   * {@code heartbeat_connections_closed_total{reason="timeout"}}) to value.
   */
  public Map<String, Double> metrics() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + adminPort.join() + "/metrics"))
        .timeout(Duration.ofSeconds(30)).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET /metrics: " + response.statusCode());
    }
    Map<String, Double> samples = new HashMap<>();
    for (String line : response.body().split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }

  /** One metric sample, 0 when absent. */
  public double metric(String sample) throws Exception {
    return metrics().getOrDefault(sample, 0.0);
  }

  /**
   * Waits until the service holds no connection (registry and monitor table both empty), or
   * the timeout passes; returns whether it got there.
   */
  public boolean awaitEmpty(Duration timeout) throws Exception {
    return awaitOpen(0, timeout);
  }

  /**
   * Waits until the service holds exactly {@code open} connections in its registry and its
   * monitor table, or the timeout passes; returns whether it got there. Polls the metrics:
   * the service pushes nothing across the process boundary, and the monitor's gauge moves only
   * at its ticks.
   */
  public boolean awaitOpen(int open, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<String, Double> m = metrics();
      if (m.getOrDefault("heartbeat_connections_open", -1.0) == open
          && m.getOrDefault("heartbeat_monitor_tracked_connections", -1.0) == open) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /**
   * Completes with the first line that contains {@code text}: among the last
   * {@value #TAIL_LINES} printed, or still to come.
   */
  public CompletableFuture<String> line(String text) {
    CompletableFuture<String> found = new CompletableFuture<>();
    lineWaiters.add(Map.entry(text, found));
    synchronized (tail) {
      tail.stream().filter(l -> l.contains(text)).findFirst().ifPresent(found::complete);
    }
    if (found.isDone()) {
      lineWaiters.removeIf(w -> w.getValue() == found);
    }
    return found;
  }

  /**
   * Waits for the process to end (after SIGTERM, say).
   *
   * @return its exit code, or -1 when it was still running after {@code timeout}
   */
  public int awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /** Sends a signal by name (STOP, CONT, TERM) with kill(1). */
  public void signal(String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        signal("CONT");
      } catch (Exception e) {
        // Not stopped, or already gone.
      }
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", log " + logFile + ")";
  }
}
