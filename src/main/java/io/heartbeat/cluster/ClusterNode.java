package io.heartbeat.cluster;

import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.metrics.HeartbeatMetrics;
import io.heartbeat.monitor.MonitorScope;
import io.heartbeat.server.ActivityRouter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * This process as a node of a Heartbeat cluster: its unique node number, its view of the live
 * monitors, and what {@link io.heartbeat.HeartbeatService} plugs into its monitor
 * ({@link #monitorScope()}) and I/O instances ({@link #activityRouter()}).
 *
 * <p>Use {@link #join} once the clustered Vert.x instance is up; the returned node has its
 * {@link ClusterVerticle} deployed (undeploy {@link #deploymentId()} last when stopping).
 */
public final class ClusterNode {

  private final ClusterState state;
  private final String deploymentId;

  private ClusterNode(ClusterState state, String deploymentId) {
    this.state = state;
    this.deploymentId = deploymentId;
  }

  /**
   * Claims a node number and starts following the cluster's monitors.
   *
   * @param vertx a clustered Vert.x instance built with {@code manager}
   * @param manager the cluster manager of {@code vertx} (one per Vert.x instance)
   * @param metrics where the cluster meters go; the monitor's last tick tells whether this
   *     node's monitor may be announced
   */
  public static Future<ClusterNode> join(Vertx vertx, HazelcastClusterManager manager,
      HeartbeatConfig config, HeartbeatMetrics metrics) {
    if (!vertx.isClustered()) {
      return Future.failedFuture(new IllegalArgumentException(
          "ClusterNode.join needs a clustered Vert.x instance"));
    }
    String nodeId = manager.getNodeId();
    return NodeNumbers.claim(vertx, nodeId, manager::getNodes).compose(number -> {
      ClusterState state = new ClusterState(nodeId, number);
      ClusterVerticle verticle = new ClusterVerticle(config, state, manager, config.runsIo(),
          () -> metrics.monitorTicking(System.nanoTime()));
      Gauge.builder("heartbeat.cluster.monitors", state, s -> s.view().size())
          .description("Live monitors this node sees in the cluster").register(metrics.registry());
      return vertx.deployVerticle(verticle).map(id -> new ClusterNode(state, id));
    });
  }

  /** The heartbeat node number, part of every connection id of this node. */
  public int node() {
    return state.node();
  }

  /** The deployment of the node's {@link ClusterVerticle}. */
  public String deploymentId() {
    return deploymentId;
  }

  /** The scope of this node's monitor (one monitor per node). */
  public MonitorScope monitorScope() {
    return new ClusterMonitorScope(MonitorRef.idOf(state.node(), 0), state);
  }

  /** A router for the I/O instance with this key (announced to the other nodes from now on). */
  public ActivityRouter activityRouter(int ioKey) {
    state.localIoKey(ioKey);
    return new ClusterActivityRouter(state);
  }

  /** Whether this node has heard from every member since it started (or waited a tick). */
  public boolean settled() {
    return state.settled();
  }

  /** Whether the view has settled and holds at least one live monitor (for readiness). */
  public boolean monitorReachable() {
    return state.monitorReachable();
  }

  /** This node's current view of the live monitors and nodes. */
  public MonitorView view() {
    return state.view();
  }
}
