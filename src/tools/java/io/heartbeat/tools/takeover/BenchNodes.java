package io.heartbeat.tools.takeover;

import io.heartbeat.HeartbeatService;
import io.heartbeat.bus.Addresses;
import io.heartbeat.cluster.ClusterNode;
import io.heartbeat.cluster.ClusterSetup;
import io.heartbeat.config.HeartbeatConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The services under measurement, in this JVM: one plain node ({@code single}) or two clustered
 * nodes ({@code cluster}, role BOTH: each its own I/O instances and monitor) on a Hazelcast
 * cluster of their own, members listed explicitly on 127.0.0.1, event bus on loopback.
 */
final class BenchNodes implements AutoCloseable {

  /** One node: its Vert.x instance and running service. */
  record Node(Vertx vertx, HeartbeatService service) {
    int port() {
      return service.port();
    }
  }

  private final List<Node> nodes;

  private BenchNodes(List<Node> nodes) {
    this.nodes = nodes;
  }

  /** The node that holds the old sessions. */
  Node first() {
    return nodes.get(0);
  }

  /** The node the new sessions open on: the second node when clustered, else the first. */
  Node second() {
    return nodes.get(nodes.size() - 1);
  }

  static BenchNodes single(JsonObject settings) throws Exception {
    Vertx vertx = Vertx.vertx();
    HeartbeatConfig config = HeartbeatConfig.fromJson(settings.copy());
    HeartbeatService service = HeartbeatService.start(vertx, config,
        new HeartbeatService.Options()).await(60, TimeUnit.SECONDS);
    return new BenchNodes(List.of(new Node(vertx, service)));
  }

  /**
   * Two clustered nodes. The Hazelcast member ports are probed free ports, which another
   * process on a shared machine can take before Hazelcast binds them: then the whole start is
   * tried again with fresh ports, up to three times.
   */
  static BenchNodes cluster(JsonObject settings) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return clusterOnce(settings);
      } catch (Exception e) {
        if (attempt >= 3 || !portTaken(e)) {
          throw e;
        }
        System.err.println("takeover-bench: a probed Hazelcast port was taken meanwhile; again"
            + " with fresh ports");
      }
    }
  }

  private static boolean portTaken(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("already in use")) {
        return true;
      }
    }
    return false;
  }

  private static BenchNodes clusterOnce(JsonObject settings) throws Exception {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      try (ServerSocket probe = new ServerSocket(0)) {
        ports.add(probe.getLocalPort());
      }
    }
    String members = ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    String name = "takeover-bench-" + UUID.randomUUID();
    List<Node> nodes = new ArrayList<>();
    BenchNodes all = new BenchNodes(nodes);
    try {
      for (int port : ports) {
        HeartbeatConfig config = HeartbeatConfig.fromJson(settings.copy()
            .put("cluster.enabled", true).put("cluster.role", "BOTH").put("cluster.name", name)
            .put("cluster.hazelcastPort", port).put("cluster.members", members)
            .put("cluster.host", "127.0.0.1").put("cluster.port", 0));
        HazelcastClusterManager manager = ClusterSetup.clusterManager(config);
        Vertx vertx = Vertx.builder().with(ClusterSetup.eventBus(new VertxOptions(), config))
            .withClusterManager(manager).buildClustered().await(60, TimeUnit.SECONDS);
        HeartbeatService service = HeartbeatService.start(vertx, config,
            new HeartbeatService.Options().clusterManager(manager)).await(60, TimeUnit.SECONDS);
        nodes.add(new Node(vertx, service));
      }
      for (Node node : nodes) {
        twoMonitors(node).await(60, TimeUnit.SECONDS);
      }
      return all;
    } catch (Exception e) {
      all.close();
      throw e;
    }
  }

  /** Completes once the node's view has settled with both monitors live. */
  private static Future<Void> twoMonitors(Node node) {
    Promise<Void> reached = Promise.promise();
    Runnable check = () -> {
      ClusterNode cluster = node.service().cluster();
      if (cluster.settled() && cluster.view().monitors().size() == 2) {
        reached.tryComplete();
      }
    };
    MessageConsumer<JsonObject> changes = node.vertx().eventBus().localConsumer(
        Addresses.CLUSTER_VIEW, m -> check.run());
    changes.completion().onSuccess(v -> check.run());
    return reached.future().eventually(changes::unregister);
  }

  @Override
  public void close() {
    for (Node node : nodes) {
      try {
        node.service().stop().eventually(() -> node.vertx().close()).await(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("takeover-bench: stopping a node: " + e);
      }
    }
  }
}
