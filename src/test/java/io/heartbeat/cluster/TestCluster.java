package io.heartbeat.cluster;

import io.heartbeat.HeartbeatService;
import io.heartbeat.bus.Addresses;
import io.heartbeat.config.ConfigException;
import io.heartbeat.config.HeartbeatConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Clustered Heartbeat nodes inside the test JVM, on 127.0.0.1 only: a cluster name of its own,
 * free Hazelcast ports listed as an explicit TCP-IP member list (conf/cluster.xml with the
 * cluster.* overrides), event bus on port 0, ticks of 100 ms. Nodes are built from the test
 * thread, never from an event loop.
 */
final class TestCluster implements AutoCloseable {

  static final long TICK_MS = 100;
  static final int MAX_MISSED = 5;
  /** Silence after which a connection may be closed. */
  static final long WINDOW_MS = TICK_MS * MAX_MISSED;
  /**
   * The documented failover bound at these settings: loss noticed within the monitor timeout
   * (2 ticks) plus one announce interval (half a tick), then one resync round trip.
   */
  static final long FAILOVER_MS = 2 * TICK_MS + TICK_MS / 2;
  /** Scheduling slack on a shared 2-core machine running three clustered nodes. */
  static final long SLACK_MS = 3 * TICK_MS;

  /** One node: its Vert.x instance, cluster manager and service (null until started). */
  static final class Node {
    final String label;
    final Vertx vertx;
    final HazelcastClusterManager manager;
    final HeartbeatConfig config;
    HeartbeatService service;

    Node(String label, Vertx vertx, HazelcastClusterManager manager, HeartbeatConfig config) {
      this.label = label;
      this.vertx = vertx;
      this.manager = manager;
      this.config = config;
    }

    int port() {
      return service.port();
    }

    /** Id of this node's monitor. */
    String monitorId() {
      return MonitorRef.idOf(service.node(), 0);
    }

    MonitorView view() {
      return service.cluster().view();
    }

    /** Starts the Heartbeat service on this node's clustered Vert.x. */
    Node startService() throws Exception {
      service = HeartbeatService.start(vertx, config,
          new HeartbeatService.Options().clusterManager(manager)).await(30, TimeUnit.SECONDS);
      return this;
    }

    /** Stops cleanly: service first (goodbye announce), then Vert.x. */
    Future<Void> stop() {
      Future<Void> stopped = service == null ? Future.succeededFuture() : service.stop();
      return stopped.compose(v -> vertx.close());
    }
  }

  private final String name = "hb-test-" + UUID.randomUUID();
  private final List<Integer> hazelcastPorts = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();

  /** @param maxNodes how many nodes may ever join (their member ports are listed up front) */
  TestCluster(int maxNodes) throws IOException {
    for (int i = 0; i < maxNodes; i++) {
      try (ServerSocket probe = new ServerSocket(0)) {
        hazelcastPorts.add(probe.getLocalPort());
      }
    }
  }

  /** Builds a clustered Vert.x instance for the next node; its service is not started. */
  Node join(String label, String role) throws Exception {
    int index = nodes.size();
    HeartbeatConfig config = config(role, hazelcastPorts.get(index));
    HazelcastClusterManager manager = ClusterSetup.clusterManager(config);
    Vertx vertx = Vertx.builder().with(ClusterSetup.eventBus(new VertxOptions(), config))
        .withClusterManager(manager).buildClustered().await(60, TimeUnit.SECONDS);
    Node node = new Node(label, vertx, manager, config);
    nodes.add(node);
    return node;
  }

  /** Joins and starts a node with this role (IO, MONITOR or BOTH). */
  Node start(String label, String role) throws Exception {
    return join(label, role).startService();
  }

  private HeartbeatConfig config(String role, int hazelcastPort) throws ConfigException {
    String members = hazelcastPorts.stream().map(p -> "127.0.0.1:" + p)
        .collect(Collectors.joining(","));
    return HeartbeatConfig.fromJson(new JsonObject().put("port", 0).put("host", "127.0.0.1")
        .put("ioInstances", 2).put("tickMs", TICK_MS).put("maxMissed", MAX_MISSED)
        .put("firstFrameTimeoutMs", 0).put("cluster.enabled", true).put("cluster.role", role)
        .put("cluster.name", name).put("cluster.hazelcastPort", hazelcastPort)
        .put("cluster.members", members).put("cluster.host", "127.0.0.1")
        .put("cluster.port", 0));
  }

  /**
   * Completes once {@code node}'s view has settled and satisfies {@code condition}: checked
   * now and on every change the node announces to its own monitors, never by polling.
   */
  static Future<Void> viewReaches(Node node, Predicate<MonitorView> condition) {
    Promise<Void> reached = Promise.promise();
    Runnable check = () -> {
      ClusterNode cluster = node.service.cluster();
      if (cluster.settled() && condition.test(cluster.view())) {
        reached.tryComplete();
      }
    };
    MessageConsumer<JsonObject> changes = node.vertx.eventBus().localConsumer(
        Addresses.CLUSTER_VIEW, m -> check.run());
    changes.completion().onSuccess(v -> check.run());
    return reached.future().eventually(changes::unregister);
  }

  /** A condition: exactly these monitors are live. */
  static Predicate<MonitorView> monitorsAre(Node... monitors) {
    List<String> want = new ArrayList<>();
    for (Node n : monitors) {
      want.add(n.monitorId());
    }
    want.sort(String::compareTo);
    return view -> view.monitors().stream().map(MonitorRef::id).toList().equals(want);
  }

  @Override
  public void close() {
    for (Node node : nodes) {
      try {
        node.stop().await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Already stopped or killed by the test; nothing more to release.
      }
    }
  }
}
