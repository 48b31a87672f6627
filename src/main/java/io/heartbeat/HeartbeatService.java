package io.heartbeat;

import io.heartbeat.admin.AdminVerticle;
import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.Commands;
import io.heartbeat.bus.ConnectionIds;
import io.heartbeat.config.ConfigLoader;
import io.heartbeat.config.ConfigWatcherVerticle;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.metrics.HeartbeatMetrics;
import io.heartbeat.monitor.MonitorVerticle;
import io.heartbeat.server.ConnectionLimits;
import io.heartbeat.server.IoVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running Heartbeat service inside one Vert.x instance: the monitor verticle, the I/O verticle
 * instances sharing the client port, and optionally the config file watcher and the admin API.
 *
 * <p>Use {@link #start} from an application or a test; the service's own main is
 * {@link HeartbeatApplication}.
 */
public final class HeartbeatService {

  /** What to start besides the monitor and the I/O instances. */
  public static final class Options {
    private Path configFile;
    private int node;
    private HeartbeatMetrics metrics;
    private boolean admin;

    /** Watch this file for run-time changes (when configScanMs is above 0); null for none. */
    public Options configFile(Path file) {
      this.configFile = file;
      return this;
    }

    /** This node's number (0 unless clustered), part of every connection id. */
    public Options node(int node) {
      this.node = node;
      return this;
    }

    /** Where meters go; a private in-memory registry when not set. */
    public Options metrics(HeartbeatMetrics metrics) {
      this.metrics = metrics;
      return this;
    }

    /** Start the admin API when admin.enabled is true (off by default for embedding). */
    public Options admin(boolean admin) {
      this.admin = admin;
      return this;
    }
  }

  private final Vertx vertx;
  private final HeartbeatConfig config;
  private final HeartbeatMetrics metrics;
  private final List<String> deployments;
  private final List<IoVerticle> ioInstances;
  private final AdminVerticle admin;
  private Future<Void> draining;

  private HeartbeatService(Vertx vertx, HeartbeatConfig config, HeartbeatMetrics metrics,
      List<String> deployments, List<IoVerticle> ioInstances, AdminVerticle admin) {
    this.vertx = vertx;
    this.config = config;
    this.metrics = metrics;
    this.deployments = deployments;
    this.ioInstances = ioInstances;
    this.admin = admin;
  }

  /** Starts monitor and I/O instances only, watching {@code configFile} when not null. */
  public static Future<HeartbeatService> start(Vertx vertx, HeartbeatConfig config,
      Path configFile, int node) {
    return start(vertx, config, new Options().configFile(configFile).node(node));
  }

  /**
   * Deploys the monitor, then {@link HeartbeatConfig#effectiveIoInstances()} I/O instances, then
   * the config watcher and the admin API as the options ask. Fails, with everything already
   * deployed undeployed again, if any part fails (for example the port is in use: the failure
   * is a {@link io.heartbeat.config.ConfigException} with a one-line message).
   */
  public static Future<HeartbeatService> start(Vertx vertx, HeartbeatConfig config,
      Options options) {
    HeartbeatMetrics metrics = options.metrics != null ? options.metrics
        : HeartbeatMetrics.standalone();
    List<String> deployed = Collections.synchronizedList(new ArrayList<>());
    List<IoVerticle> instances = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger nextInstance = new AtomicInteger();
    ConnectionLimits limits = new ConnectionLimits(config.maxConnections(),
        config.maxConnectionsPerIp());
    Future<String> chain = vertx.deployVerticle(new MonitorVerticle(config, metrics))
        .onSuccess(deployed::add)
        .compose(id -> vertx.deployVerticle(() -> {
          IoVerticle io = new IoVerticle(config,
              ConnectionIds.ioKey(options.node, nextInstance.getAndIncrement()), limits, metrics);
          instances.add(io);
          return io;
        }, new DeploymentOptions().setInstances(config.effectiveIoInstances())))
        .onSuccess(deployed::add);
    if (options.configFile != null && config.configScanMs() > 0) {
      chain = chain.compose(id -> vertx.deployVerticle(
          new ConfigWatcherVerticle(options.configFile, ConfigLoader.fromSystem(), config)))
          .onSuccess(deployed::add);
    }
    HeartbeatService[] self = new HeartbeatService[1];
    AdminVerticle admin = options.admin && config.adminEnabled()
        ? new AdminVerticle(config, metrics.registry(), () -> self[0].ioKeys(),
            () -> self[0].isReady(), () -> self[0].drain())
        : null;
    self[0] = new HeartbeatService(vertx, config, metrics, deployed, instances, admin);
    if (admin != null) {
      chain = chain.compose(id -> vertx.deployVerticle(admin)).onSuccess(deployed::add);
    }
    return chain.map(id -> self[0])
        .recover(error -> undeployAll(vertx, deployed).transform(v -> Future.failedFuture(error)));
  }

  /** The client port (useful when the config asked for port 0). */
  public int port() {
    return ioInstances.get(0).actualPort();
  }

  /** The admin API port, or -1 when the admin API is off. */
  public int adminPort() {
    return admin == null ? -1 : admin.actualPort();
  }

  /** Number of I/O instances running. */
  public int ioInstanceCount() {
    return ioInstances.size();
  }

  /** The meters of this service. */
  public HeartbeatMetrics metrics() {
    return metrics;
  }

  private List<Integer> ioKeys() {
    List<Integer> keys = new ArrayList<>();
    for (IoVerticle io : ioInstances) {
      keys.add(io.ioKey());
    }
    return keys;
  }

  /** Listening, not draining, and the monitor ticked within the last two ticks. */
  public boolean isReady() {
    long lastTick = metrics.lastMonitorTickNanos();
    boolean ticking = lastTick != 0
        && System.nanoTime() - lastTick <= 2 * config.tickMs() * 1_000_000;
    return ticking && !ioInstances.isEmpty()
        && ioInstances.stream().allMatch(IoVerticle::isServing);
  }

  /**
   * Graceful drain of every I/O instance: stop accepting, GOODBYE "shutdown" to every
   * connection (paced), wait up to shutdownGraceMs for peers to leave, close the rest. Calling it
   * again returns the same drain.
   */
  public synchronized Future<Void> drain() {
    if (draining == null) {
      List<Future<?>> all = new ArrayList<>();
      DeliveryOptions wait = new DeliveryOptions()
          .setSendTimeout(config.shutdownGraceMs() + 60_000);
      for (int key : ioKeys()) {
        all.add(vertx.eventBus().request(Addresses.ioInstance(key),
            new JsonObject().put(Commands.ACTION, Commands.DRAIN), wait));
      }
      draining = Future.all(all).mapEmpty();
    }
    return draining;
  }

  /**
   * Undeploys everything, I/O first: every connection still open gets GOODBYE "shutdown" and
   * is closed.
   */
  public Future<Void> stop() {
    return undeployAll(vertx, deployments);
  }

  private static Future<Void> undeployAll(Vertx vertx, List<String> deployments) {
    List<String> reversed = new ArrayList<>(deployments);
    Collections.reverse(reversed);
    Future<Void> chain = Future.succeededFuture();
    for (String id : reversed) {
      chain = chain.compose(v -> vertx.undeploy(id).recover(e -> Future.succeededFuture()));
    }
    return chain;
  }
}
