package io.heartbeat;

import ch.qos.logback.classic.LoggerContext;
import io.heartbeat.cluster.ClusterSetup;
import io.heartbeat.config.ConfigException;
import io.heartbeat.config.ConfigSources;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.config.LogFormat;
import io.heartbeat.config.OpenFilesLimit;
import io.heartbeat.metrics.HeartbeatMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's main: reads the settings, starts Vert.x (native epoll when available), deploys
 * {@link HeartbeatService} and logs one line saying where it listens and how it judges.
 *
 * <p>Usage: {@code java -jar heartbeat.jar [-conf FILE] [-cluster]}. {@code -cluster} (or the
 * setting cluster.enabled) starts a node of a cluster: Vert.x's clustered event bus over
 * Hazelcast, configured by cluster.configFile (conf/cluster.xml). Exit codes: 2 for a bad
 * command line or setting, 1 when the service cannot start (port in use, cluster not joined), 0
 * after a clean shutdown (SIGTERM).
 */
public final class HeartbeatApplication {

  /** The config file used when {@code -conf} is not given. */
  public static final Path DEFAULT_CONFIG = Path.of("conf", "config.json");
  private static final String USAGE = "Usage: java -jar heartbeat.jar [-conf FILE] [-cluster]";
  /** Whether the operator chose a logback configuration (then logFormat does not apply). */
  private static boolean logbackChosen;

  private HeartbeatApplication() {
  }

  public static void main(String[] args) {
    useProjectLogbackConfig();
    // Before any Hazelcast class loads: its first lines would otherwise go through JUL.
    if (System.getProperty("hazelcast.logging.type") == null) {
      System.setProperty("hazelcast.logging.type", "slf4j");
    }
    int code = launch(args);
    if (code != 0) {
      flushLogs();
      System.exit(code);
    }
  }

  /** Starts the service; returns 0 once it runs, or the exit code of a start-up failure. */
  static int launch(String[] args) {
    Logger log = LoggerFactory.getLogger(HeartbeatApplication.class);
    Path file = DEFAULT_CONFIG;
    boolean explicit = false;
    boolean clusterFlag = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-h") || arg.equals("--help")) {
        log.info(USAGE);
        return 0;
      } else if ((arg.equals("-conf") || arg.equals("--conf")) && i + 1 < args.length) {
        file = Path.of(args[++i]);
        explicit = true;
      } else if (arg.equals("-cluster") || arg.equals("--cluster")) {
        clusterFlag = true;
      } else if (arg.startsWith("-conf=") || arg.startsWith("--conf=")) {
        file = Path.of(arg.substring(arg.indexOf('=') + 1));
        explicit = true;
      } else {
        log.error("Unknown argument \"{}\". {}", arg, USAGE);
        return 2;
      }
    }
    HeartbeatConfig config;
    HazelcastClusterManager clusterManager = null;
    ConfigSources sources = ConfigSources.forMain(file, explicit,
        clusterFlag ? new JsonObject().put("cluster.enabled", true) : new JsonObject());
    try {
      config = readSettings(sources);
      LogFormat.apply(config, logbackChosen);
      if (config.clusterEnabled()) {
        clusterManager = ClusterSetup.clusterManager(config);
      } else if (!(config.runsIo() && config.runsMonitor())) {
        throw new ConfigException("Invalid setting cluster.role = " + config.clusterRole()
            + ": IO and MONITOR need a cluster; set cluster.enabled to true (or pass"
            + " -cluster), or use BOTH.");
      }
    } catch (ConfigException e) {
      log.error(e.getMessage());
      return 2;
    } catch (Exception e) {
      log.error("Heartbeat could not read its settings: {}", e.toString());
      return 2;
    }
    if (config.runsIo()) {
      OpenFilesLimit.processLimit().stream()
          .mapToObj(limit -> OpenFilesLimit.warning(limit, config.maxConnections(),
              OpenFilesLimit.ownFiles(Runtime.getRuntime().availableProcessors())))
          .flatMap(java.util.Optional::stream).forEach(log::warn);
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true)
        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    Vertx vertx;
    if (clusterManager == null) {
      vertx = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry))
          .build();
    } else {
      try {
        vertx = Vertx.builder().with(ClusterSetup.eventBus(options, config))
            .withMetrics(new MicrometerMetricsFactory(registry))
            .withClusterManager(clusterManager).buildClustered().await(2, TimeUnit.MINUTES);
      } catch (Exception e) {
        log.error("Heartbeat could not join the cluster (cluster.configFile {}): {}",
            config.clusterConfigFile(), e.toString());
        return 1;
      }
    }
    HeartbeatService service;
    try {
      service = HeartbeatService.start(vertx, config, new HeartbeatService.Options()
              .configSources(sources)
              .metrics(new HeartbeatMetrics(registry))
              .clusterManager(clusterManager)
              .admin(true))
          .await(2, TimeUnit.MINUTES);
    } catch (Exception e) {
      // Future.await rethrows the failure itself; a ConfigException is already one clear line.
      log.error(e instanceof ConfigException ? e.getMessage() : "Heartbeat failed to start: " + e);
      closeQuietly(vertx);
      return 1;
    }
    if (service.cluster() != null) {
      log.info("Heartbeat cluster node {} (role {}): event bus on {}:{}, Hazelcast cluster"
          + " \"{}\"; a node unheard of for {} ms hands its monitor's connections over",
          service.node(), config.clusterRole(), config.clusterHost(),
          config.clusterPort() == 0 ? "(any free port)" : config.clusterPort(),
          clusterManager.getHazelcastInstance().getConfig().getClusterName(),
          config.effectiveMonitorTimeoutMs());
    }
    String serving = config.runsIo() ? "listening on " + config.host() + ":" + service.port()
        : "monitoring, no client port";
    log.info("Heartbeat {} ({} transport, {} I/O instances); tick {} ms x"
        + " maxMissed {} (silent connections close {}-{} ms after their last frame);"
        + " byteOrder {}, maxPayloadBytes {}, ack {}, DATA counts as activity {}, probing {},"
        + " detection {}, tcpKeepAlive {}",
        serving, transport(vertx), service.ioInstanceCount(),
        config.tickMs(), config.maxMissed(), config.windowMs(),
        config.windowMs() + config.tickMs(), config.byteOrder(), config.maxPayloadBytes(),
        onOff(config.ackHeartbeats()), onOff(config.dataCountsAsActivity()),
        config.probeEnabled() ? "after " + config.probeAfterMissed() + " missed ticks" : "off",
        onOff(config.detectionEnabled()),
        config.tcpKeepAlive() ? config.tcpKeepAliveIdleSeconds() + "/"
            + config.tcpKeepAliveIntervalSeconds() + "/" + config.tcpKeepAliveCount() + " s"
            : "off");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("Shutting down: GOODBYE \"shutdown\" to every connection, then up to {} ms for"
          + " them to leave", config.shutdownGraceMs());
      try {
        service.drain().await(config.shutdownGraceMs() + 30_000, TimeUnit.MILLISECONDS);
        service.stop().await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("Shutdown did not finish cleanly: {}", e.toString());
      }
      closeQuietly(vertx);
      log.info("Heartbeat stopped");
      flushLogs();
      // A JVM ended by SIGTERM exits 143 after its hooks; a completed drain is a clean stop.
      Runtime.getRuntime().halt(0);
    }, "heartbeat-shutdown"));
    return 0;
  }

  /**
   * Reads the settings once through vertx-config, on a short-lived Vert.x instance: the real one
   * cannot be built before the settings say whether it is clustered. Blocks the main thread only.
   */
  private static HeartbeatConfig readSettings(ConfigSources sources) throws Exception {
    Vertx reader = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    try {
      return sources.read(reader).await(1, TimeUnit.MINUTES);
    } finally {
      closeQuietly(reader);
    }
  }

  private static String transport(Vertx vertx) {
    if (vertx.isNativeTransportEnabled()) {
      return "epoll";
    }
    Throwable why = vertx.unavailableNativeTransportCause();
    return "NIO (native epoll unavailable: " + (why == null ? "unknown" : why.getMessage()) + ")";
  }

  private static String onOff(boolean on) {
    return on ? "on" : "off";
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Exiting anyway; nothing useful to add.
    }
  }

  /**
   * Stops logback, which drains its async appender (conf/logback.xml). Without this, the JVM can
   * exit with the last lines still queued: the one line that explains a start-up failure was
   * lost in about one run in five.
   */
  private static void flushLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.stop();
    }
  }

  /** Points logback at conf/logback.xml when present and no configuration was chosen. */
  private static void useProjectLogbackConfig() {
    Path conf = Path.of("conf", "logback.xml");
    logbackChosen = System.getProperty("logback.configurationFile") != null;
    if (!logbackChosen && Files.isRegularFile(conf)) {
      System.setProperty("logback.configurationFile", conf.toString());
    }
  }
}
