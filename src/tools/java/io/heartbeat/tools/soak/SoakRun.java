package io.heartbeat.tools.soak;

import static io.heartbeat.testing.scenario.Scenarios.mib;

import io.heartbeat.testing.CClient;
import io.heartbeat.testing.NamespaceLink;
import io.heartbeat.testing.ServiceProcess;
import io.heartbeat.testing.scenario.LengthFieldScenario;
import io.heartbeat.testing.scenario.LoopbackSources;
import io.heartbeat.testing.scenario.Peer;
import io.heartbeat.testing.scenario.Report;
import io.heartbeat.testing.scenario.Scenarios;
import io.heartbeat.testing.scenario.VerdictWindow;
import io.heartbeat.testing.scenario.Victims;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The soak with every kind of victim (scripts/soak-waves): thousands of healthy connections
 * (in generator processes of their own, {@link SoakLoad}) heartbeating every tick for a given duration while, every wave
 * interval, a {@link SoakWave} of victims joins: silent, dripping, frozen (SIGSTOP) and
 * half-open (own namespace, link down). Prints victims closed in window, healthy closed,
 * detection delay percentiles, and the service's open files and heap before, under load and
 * after. Loopback and namespaces it creates only; bounded in time (a watchdog ends everything
 * 10 minutes after the planned end).
 *
 * <p>Options ({@code --name=value}): healthy (19000), minutes (10), tick-ms (1000),
 * max-missed (5), generators (2), wave-seconds (30), silent (10), drip (10), frozen (2),
 * half-open (3) per wave, connects-per-second per generator (1000). Exit code 0 when healthy
 * closed is 0 and every victim was closed in the window.
 */
public final class SoakRun {

  /** What to run. */
  record Options(int healthy, double minutes, long tickMs, int maxMissed, int generators,
      int waveSeconds, int silent, int drip, int frozen, int halfOpen, int connectsPerSecond) {
  }

  private static final Logger LOG = LoggerFactory.getLogger(SoakRun.class);
  private static final String HEALTHY_PREFIX = "127.0.20.";
  private static final int SOURCES_PER_GENERATOR = 10;

  private final Options o;
  private final Vertx vertx;
  private final Report report;
  private final List<Process> generators = new CopyOnWriteArrayList<>();
  private final List<SoakWave> waves = new CopyOnWriteArrayList<>();
  private final List<String> healthyClosedByGenerators = new CopyOnWriteArrayList<>();
  private ServiceProcess server;

  private SoakRun(Options o, Vertx vertx) {
    this.o = o;
    this.vertx = vertx;
    this.report = new Report(String.format("soak: %d healthy for %.1f min, tick %d ms x %d;"
            + " every %d s a wave of %d silent, %d dripping, %d frozen, %d half-open victims",
        o.healthy(), o.minutes(), o.tickMs(), o.maxMissed(), o.waveSeconds(), o.silent(),
        o.drip(), o.frozen(), o.halfOpen()));
  }

  public static void main(String[] args) throws Exception {
    Options o = parse(args);
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    SoakRun run = new SoakRun(o, vertx);
    Thread cleanup = new Thread(run::abort, "soak-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    Thread watchdog = new Thread(() -> {
      try {
        TimeUnit.MILLISECONDS.sleep((long) (o.minutes() * 60_000) + 600_000);
        LOG.error("Soak still running 10 minutes after its planned end: ending it");
        System.exit(2);
      } catch (InterruptedException e) {
        // Finished in time.
      }
    }, "soak-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    boolean passed;
    try {
      passed = run.soak();
    } finally {
      run.abort();
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    LOG.info("{}", run.report);
    LOG.info("Service log: {}", run.server == null ? "-" : run.server.logFile());
    Runtime.getRuntime().removeShutdownHook(cleanup);
    System.exit(passed ? 0 : 1);
  }

  private boolean soak() throws Exception {
    VerdictWindow window = new VerdictWindow(o.tickMs(), o.maxMissed());
    boolean processes = o.frozen() + o.halfOpen() == 0 || buildClient();
    boolean namespaces = o.halfOpen() > 0 && processes && namespacesWork();
    server = ServiceProcess.start("soak", Map.of(
        "HEARTBEAT_TICK_MS", String.valueOf(o.tickMs()),
        "HEARTBEAT_MAX_MISSED", String.valueOf(o.maxMissed()),
        // Room for the victims beside the healthy connections (the default is 19,000).
        "HEARTBEAT_MAX_CONNECTIONS", String.valueOf(o.healthy() + 500)), List.of());
    LOG.info("Service started: {}", server);
    LoopbackSources warm = new LoopbackSources(vertx, "127.0.23.", 1, 4);
    LengthFieldScenario.warmUp(warm, server.port());
    Scenarios.pause(3 * o.tickMs());
    int filesBase = server.openFiles();
    long heapBase = server.heapAfterGc();

    startGenerators();
    int filesLoaded = server.openFiles();
    long heapLoaded = server.heapAfterGc();
    Map<String, Double> loadedMetrics = server.metrics();
    LOG.info("{} healthy connections up; service open files {}, heap after GC {}",
        loadedMetrics.get("heartbeat_connections_open"), filesLoaded, mib(heapLoaded));

    LoopbackSources silentSources = new LoopbackSources(vertx, "127.0.21.", 1, 10);
    LoopbackSources dripSources = new LoopbackSources(vertx, "127.0.22.", 1, 10);
    long soakStart = System.currentTimeMillis();
    long soakEnd = soakStart + (long) (o.minutes() * 60_000);
    double heartbeatsStart = server.metric("heartbeat_heartbeats_received_total");
    List<Thread> waveThreads = new ArrayList<>();
    for (int n = 0; System.currentTimeMillis() < soakEnd; n++) {
      int number = n;
      Thread t = new Thread(() -> {
        SoakWave wave = SoakWave.launch(number, vertx, server, o, silentSources, dripSources,
            namespaces);
        waves.add(wave);
        wave.finish(3 * window.upperMs() + 30_000);
      }, "soak-wave-" + n);
      t.start();
      waveThreads.add(t);
      long next = soakStart + (n + 1) * o.waveSeconds() * 1000L;
      while (System.currentTimeMillis() < Math.min(next, soakEnd)) {
        Scenarios.pause(Math.min(5_000, Math.max(1, Math.min(next, soakEnd)
            - System.currentTimeMillis())));
      }
      LOG.info("{} s into the soak: {} waves; service {}", (System.currentTimeMillis()
          - soakStart) / 1000, n + 1, brief(server.metrics()));
    }
    for (Thread t : waveThreads) {
      t.join();
    }
    long healthyUntil = System.currentTimeMillis();
    double heartbeats = server.metric("heartbeat_heartbeats_received_total") - heartbeatsStart;
    double soakSeconds = (healthyUntil - soakStart) / 1000.0;
    stopGenerators();
    boolean empty = server.awaitEmpty(Duration.ofSeconds(120));
    Scenarios.pause(3 * o.tickMs());
    int filesAfter = server.openFiles();
    long heapAfter = server.heapAfterGc();

    judgeVictims(window);
    List<ServiceProcess.Close> healthyClosed = server.closes().stream()
        .filter(c -> c.host().startsWith(HEALTHY_PREFIX) && c.loggedAtMs() < healthyUntil)
        .toList();
    report.figure("healthy: %.0f connected, heartbeating every %d ms; closed by the service"
            + " during the soak: %d (service log), %d (generators); %.0f heartbeats a second",
        loadedMetrics.get("heartbeat_connections_open"), o.tickMs(), healthyClosed.size(),
        healthyClosedByGenerators.size(), heartbeats / soakSeconds);
    report.check(healthyClosed.isEmpty() && healthyClosedByGenerators.isEmpty(),
        "healthy connections closed: %s %s", healthyClosed, healthyClosedByGenerators);
    report.check(loadedMetrics.getOrDefault("heartbeat_connections_open", 0.0) >= o.healthy(),
        "only %s of %d healthy connections came up", loadedMetrics.get(
            "heartbeat_connections_open"), o.healthy());
    report.figure("service open files: baseline %d, under load %d, after %d", filesBase,
        filesLoaded, filesAfter);
    report.figure("service heap after GC: baseline %s, under load %s, after %s", mib(heapBase),
        mib(heapLoaded), mib(heapAfter));
    report.figure("%s", Victims.stalls(server));
    report.figure("half-open victims: %s", namespaces ? "made in namespaces of their own"
        : o.halfOpen() == 0 ? "none asked" : "SKIPPED: network namespaces cannot be made here");
    report.check(o.halfOpen() == 0 || namespaces, "half-open victims could not be made");
    report.check(empty, "the service still holds connections at the end");
    report.check(filesAfter <= filesBase, "open files %d after, %d before", filesAfter,
        filesBase);
    report.check(server.errors().isEmpty(), "errors in the service's log: %s",
        server.errors());
    return report.passed();
  }

  private void judgeVictims(VerdictWindow window) {
    List<Peer> silent = new ArrayList<>();
    List<Peer> drippers = new ArrayList<>();
    Map<String, List<SoakWave.ProcessVictim>> byKind = new HashMap<>();
    for (SoakWave w : waves) {
      silent.addAll(w.silent);
      drippers.addAll(w.drippers);
      w.processVictims.forEach(v -> byKind.computeIfAbsent(v.kind(), k -> new ArrayList<>())
          .add(v));
      w.problems.forEach(p -> report.violation("%s", p));
    }
    Victims.judge("silent victims", silent, server, window, report);
    Victims.judge("dripping victims", drippers, server, window, report);
    for (String kind : List.of("frozen", "half-open")) {
      judgeProcessVictims(kind + " victims", byKind.getOrDefault(kind, List.of()), window);
    }
  }

  /** Victims in other processes: judged on the service's own close line. */
  private void judgeProcessVictims(String role, List<SoakWave.ProcessVictim> victims,
      VerdictWindow window) {
    List<ServiceProcess.Stall> stalls = server.stalls();
    List<Long> delays = new ArrayList<>();
    int strict = 0;
    int inside = 0;
    for (SoakWave.ProcessVictim v : victims) {
      ServiceProcess.Close c = v.close().getNow(null);
      if (c == null) {
        report.violation("%s %s:%d was not closed", role, v.host(), v.port());
        continue;
      }
      long upper = window.upperMs(stalls, v.deadSinceWallMs() - o.tickMs(), c.loggedAtMs());
      long ms = c.sinceLastFrameMs();
      delays.add(ms);
      boolean ok = c.reason().equals("timeout") && ms >= window.lowerMs() && ms <= upper;
      strict += ok && ms <= window.upperMs() ? 1 : 0;
      inside += ok ? 1 : 0;
      report.check(ok, "%s %s:%d: %s after %d ms silent, window [%d, %d]", role, v.host(),
          v.port(), c.reason(), ms, window.lowerMs(), upper);
    }
    report.figure("%s: %d of %d closed for timeout; inside %s: %d (strict), %d (with the"
            + " service's reported stalls); delay measured by the service %s", role,
        delays.size(), victims.size(), window.describe(), strict, inside,
        VerdictWindow.percentiles(delays));
  }

  private void startGenerators() throws Exception {
    List<CompletableFuture<String>> ready = new ArrayList<>();
    int per = o.healthy() / o.generators();
    for (int g = 0; g < o.generators(); g++) {
      int count = g == o.generators() - 1 ? o.healthy() - per * g : per;
      List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java")
              .toString(), "-cp", System.getProperty("java.class.path"),
          SoakLoad.class.getName(), String.valueOf(server.port()), String.valueOf(count),
          HEALTHY_PREFIX, String.valueOf(1 + g * SOURCES_PER_GENERATOR),
          String.valueOf(SOURCES_PER_GENERATOR), String.valueOf(o.tickMs()),
          String.valueOf(o.connectsPerSecond()));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      generators.add(p);
      CompletableFuture<String> up = new CompletableFuture<>();
      ready.add(up);
      Thread reader = new Thread(() -> readGenerator(p, up), "generator-" + g);
      reader.setDaemon(true);
      reader.start();
    }
    long limitSeconds = 120 + o.healthy() / Math.max(1, o.connectsPerSecond());
    CompletableFuture.allOf(ready.toArray(new CompletableFuture<?>[0]))
        .get(limitSeconds, TimeUnit.SECONDS);
  }

  private void readGenerator(Process p, CompletableFuture<String> ready) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("ready")) {
          ready.complete(line);
        } else if (line.startsWith("healthy-closed")) {
          healthyClosedByGenerators.add(line);
        }
        boolean quietStatus = line.startsWith("status") && line.contains("closedByService=0")
            && line.contains("connectFailed=0");
        if (!quietStatus) {
          LOG.info("generator {}: {}", p.pid(), line);
        }
      }
    } catch (IOException e) {
      ready.completeExceptionally(e);
    }
  }

  private void stopGenerators() throws Exception {
    for (Process p : generators) {
      OutputStream in = p.getOutputStream();
      in.write("stop\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
    }
    for (Process p : generators) {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private void abort() {
    waves.forEach(SoakWave::abort);
    generators.forEach(Process::destroyForcibly);
    if (server != null) {
      server.close();
    }
  }

  private static String brief(Map<String, Double> m) {
    return String.format("open %.0f, closed for timeout %.0f, stalls %.0f",
        m.getOrDefault("heartbeat_connections_open", 0.0),
        m.getOrDefault("heartbeat_connections_closed_total{reason=\"timeout\"}", 0.0),
        m.getOrDefault("heartbeat_monitor_stalls_total", 0.0));
  }

  private boolean buildClient() {
    try {
      CClient.build();
      return true;
    } catch (Exception e) {
      report.violation("frozen and half-open victims need the C client: %s", e.getMessage());
      return false;
    }
  }

  private boolean namespacesWork() {
    try (NamespaceLink probe = NamespaceLink.create(ProcessHandle.current().pid() % 100_000
        + "p", 255)) {
      return true;
    } catch (Exception e) {
      LOG.warn("Half-open victims skipped: cannot create network namespaces here ({})",
          e.getMessage());
      return false;
    }
  }

  private static Options parse(String[] args) {
    Map<String, String> given = new HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("Expected --name=value, got \"" + arg + "\"");
      }
      given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    String minutes = given.remove("minutes");
    Options o = new Options(integer(given, "healthy", 19_000),
        Double.parseDouble(minutes == null ? "10" : minutes),
        integer(given, "tick-ms", 1000), integer(given, "max-missed", 5),
        integer(given, "generators", 2), integer(given, "wave-seconds", 30),
        integer(given, "silent", 10), integer(given, "drip", 10), integer(given, "frozen", 2),
        integer(given, "half-open", 3), integer(given, "connects-per-second", 1000));
    if (!given.isEmpty()) {
      throw new IllegalArgumentException("Unknown options: " + given.keySet());
    }
    return o;
  }

  private static int integer(Map<String, String> given, String name, int fallback) {
    String v = given.remove(name);
    return v == null ? fallback : Integer.parseInt(v);
  }
}
