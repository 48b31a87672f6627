package io.heartbeat;

import io.heartbeat.admin.AdminHooks;
import io.heartbeat.admin.AdminVerticle;
import io.heartbeat.admin.ReadinessCheck;
import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.Commands;
import io.heartbeat.bus.ConnectionIds;
import io.heartbeat.cluster.ClusterNode;
import io.heartbeat.config.ConfigException;
import io.heartbeat.config.ConfigSources;
import io.heartbeat.config.ConfigWatcherVerticle;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.metrics.HeartbeatMetrics;
import io.heartbeat.monitor.MonitorScope;
import io.heartbeat.monitor.MonitorVerticle;
import io.heartbeat.server.ActivityRouter;
import io.heartbeat.server.ClientPort;
import io.heartbeat.server.ConnectionLimits;
import io.heartbeat.server.IoVerticle;
import io.heartbeat.session.SessionServices;
import io.heartbeat.server.NetServerPort;
import io.heartbeat.server.netty.LeanListener;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running Heartbeat service inside one Vert.x instance: the monitor verticle, the I/O verticle
 * instances sharing the client port, and optionally the config file watcher and the admin API.
 * Clustered ({@link Options#clusterManager}), it is one node of a cluster: it runs the monitor,
 * the I/O instances or both (cluster.role), and a {@link ClusterNode} routes activity to the
 * monitor each connection is assigned to.
 *
 * <p>Use {@link #start} from an application or a test; the service's own main is
 * {@link HeartbeatApplication}.
 */
public final class HeartbeatService {

  /** What to start besides the monitor and the I/O instances. */
  public static final class Options {
    private ConfigSources configSources;
    private int node;
    private HeartbeatMetrics metrics;
    private boolean admin;
    private HazelcastClusterManager clusterManager;

    /** Watch this file for run-time changes (when configScanMs is above 0); null for none. */
    public Options configFile(Path file) {
      this.configSources = file == null ? null : ConfigSources.of(file);
      return this;
    }

    /** Watch these sources for run-time changes (when configScanMs is above 0). */
    public Options configSources(ConfigSources sources) {
      this.configSources = sources;
      return this;
    }

    /**
     * Run as a node of a cluster: {@code manager} is the cluster manager the clustered Vert.x
     * instance was built with. The node number is then claimed cluster-wide and
     * {@link #node(int)} is ignored.
     */
    public Options clusterManager(HazelcastClusterManager manager) {
      this.clusterManager = manager;
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
  private volatile ClusterNode cluster;
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
    if (options.clusterManager == null && !(config.runsIo() && config.runsMonitor())) {
      return Future.failedFuture(new ConfigException("Invalid setting cluster.role = "
          + config.clusterRole() + ": only a cluster node can run without I/O or without a"
          + " monitor; set cluster.enabled to true (or pass -cluster), or use BOTH."));
    }
    List<String> deployed = Collections.synchronizedList(new ArrayList<>());
    List<IoVerticle> instances = Collections.synchronizedList(new ArrayList<>());
    HeartbeatService[] self = new HeartbeatService[1];
    AdminVerticle admin = options.admin && config.adminEnabled()
        ? new AdminVerticle(config, metrics, new AdminHooks(() -> self[0].ioKeys(),
            () -> self[0].node(), () -> self[0].readinessChecks(), () -> self[0].drain(),
            () -> self[0].undrain()))
        : null;
    HeartbeatService service = new HeartbeatService(vertx, config, metrics, deployed, instances,
        admin);
    self[0] = service;
    Future<ClusterNode> joined = options.clusterManager == null ? Future.succeededFuture()
        : ClusterNode.join(vertx, options.clusterManager, config, metrics)
            .onSuccess(node -> deployed.add(node.deploymentId()));
    Future<String> chain = joined.compose(node -> {
      service.cluster = node;
      return service.deployMonitor();
    }).compose(id -> service.deployIo(options.node));
    if (options.configSources != null && config.configScanMs() > 0) {
      chain = chain.compose(id -> vertx.deployVerticle(
          new ConfigWatcherVerticle(options.configSources, config)))
          .onSuccess(deployed::add);
    }
    if (admin != null) {
      chain = chain.compose(id -> vertx.deployVerticle(admin)).onSuccess(deployed::add);
    }
    return chain.map(id -> service)
        .recover(error -> undeployAll(vertx, deployed).transform(v -> Future.failedFuture(error)));
  }

  /** The monitor, when this node runs one; in a cluster it tracks its share only. */
  private Future<String> deployMonitor() {
    if (!config.runsMonitor()) {
      return Future.succeededFuture("");
    }
    MonitorScope scope = cluster == null ? MonitorScope.singleProcess() : cluster.monitorScope();
    return vertx.deployVerticle(new MonitorVerticle(config, metrics, scope))
        .onSuccess(deployments::add);
  }

  /** The I/O instances, when this node holds connections; ids carry the node number. */
  private Future<String> deployIo(int singleProcessNode) {
    if (!config.runsIo()) {
      return Future.succeededFuture("");
    }
    ClusterNode node = cluster;
    int number = node == null ? singleProcessNode : node.node();
    AtomicInteger nextInstance = new AtomicInteger();
    ConnectionLimits limits = new ConnectionLimits(config.maxConnections(),
        config.maxConnectionsPerIp());
    ClientPort.Factory ports = config.leanIoEdge() ? new LeanListener(config)
        : NetServerPort.factory(config);
    return SessionServices.create(vertx, config).compose(sessions -> vertx.deployVerticle(() -> {
      int ioKey = ConnectionIds.ioKey(number, nextInstance.getAndIncrement());
      IoVerticle io = new IoVerticle(config, ioKey, ports.newInstancePort(), limits, metrics,
          node == null ? ActivityRouter.singleProcess() : node.activityRouter(ioKey), sessions);
      ioInstances.add(io);
      return io;
    }, new DeploymentOptions().setInstances(config.effectiveIoInstances())))
        .onSuccess(deployments::add);
  }

  /** The client port (useful when the config asked for port 0); -1 on a monitor-only node. */
  public int port() {
    return ioInstances.isEmpty() ? -1 : ioInstances.get(0).actualPort();
  }

  /** This node's number: 0 (or Options.node) in one process, the claimed one in a cluster. */
  public int node() {
    ClusterNode node = cluster;
    return node != null ? node.node()
        : ioInstances.isEmpty() ? 0 : ConnectionIds.nodeOfKey(ioInstances.get(0).ioKey());
  }

  /** The cluster side of this node, or null when not clustered. */
  public ClusterNode cluster() {
    return cluster;
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

  /**
   * Listening, not draining, and the monitor ticked within the last two ticks. Clustered, each
   * part only where this node runs it, plus: at least one monitor is live in the cluster.
   */
  public boolean isReady() {
    return readinessChecks().stream().allMatch(check -> check.up().getAsBoolean());
  }

  /** The named conditions of {@link #isReady()}, as the admin API's /ready shows them. */
  private List<ReadinessCheck> readinessChecks() {
    List<ReadinessCheck> checks = new ArrayList<>();
    if (config.runsIo()) {
      checks.add(new ReadinessCheck("client-port", () -> !ioInstances.isEmpty()
          && ioInstances.stream().allMatch(io -> io.actualPort() > 0),
          "the client port is not listening"));
      checks.add(new ReadinessCheck("draining", () -> !isDraining(),
          "draining: new connections are refused (DELETE /drain ends it)"));
    }
    if (config.runsMonitor()) {
      checks.add(new ReadinessCheck("monitor-ticking",
          () -> metrics.monitorTicking(System.nanoTime()),
          "the monitor has not ticked within two ticks"));
    }
    ClusterNode node = cluster;
    if (node != null) {
      checks.add(new ReadinessCheck("cluster-monitors", node::monitorReachable,
          "no live monitor is reachable in the cluster"));
    }
    return checks;
  }

  private synchronized boolean isDraining() {
    return draining != null
        || ioInstances.stream().anyMatch(io -> io.actualPort() > 0 && !io.isServing());
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
   * Ends a drain: every I/O instance takes connections again ({@code {"action":"undrain"}}).
   * Fails naming the instances that did not confirm; readiness stays DOWN while any of them still
   * drains. A later {@link #drain()} starts a new drain.
   */
  public Future<Void> undrain() {
    List<Integer> keys;
    synchronized (this) {
      draining = null;
      keys = ioKeys();
    }
    List<Future<?>> all = new ArrayList<>();
    DeliveryOptions wait = new DeliveryOptions()
        .setSendTimeout(AdminVerticle.DEFAULT_BUS_TIMEOUT_MS);
    for (int key : keys) {
      all.add(vertx.eventBus().request(Addresses.ioInstance(key),
          new JsonObject().put(Commands.ACTION, Commands.UNDRAIN), wait)
          .recover(e -> Future.failedFuture("I/O instance " + key + ": " + e.getMessage())));
    }
    return Future.join(all).transform(ar -> {
      List<String> failed = new ArrayList<>();
      for (Future<?> f : all) {
        if (f.failed()) {
          failed.add(f.cause().getMessage());
        }
      }
      return failed.isEmpty() ? Future.succeededFuture()
          : Future.failedFuture(String.join("; ", failed));
    });
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
