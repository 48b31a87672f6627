package io.heartbeat.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.CloseCommand;
import io.heartbeat.bus.ProbeCommand;
import io.heartbeat.config.HeartbeatConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One per clustered node: keeps the node's view of the live monitors ({@link ClusterState}) and
 * tells the node's monitors when it changes ({@link Addresses#CLUSTER_VIEW}, local).
 *
 * <ul>
 *   <li>Every half tick it publishes the node's {@link Announce} (its number and its monitors
 *       that are ticking) and drops nodes it has not heard of for
 *       {@link HeartbeatConfig#effectiveMonitorTimeoutMs()} (2 ticks by default). After its own
 *       event loop stalled it waits one interval before judging others.</li>
 *   <li>Hazelcast's member-removed event is authoritative for a node's death: the view change
 *       then names the node as lost, and the monitors report its connections node-lost.</li>
 *   <li>Every I/O instance address a node hears announced is used once at once (an empty
 *       probe), while the cluster is healthy: Vert.x resolves an address's subscribers through
 *       Hazelcast on first use and then keeps them cached, and that first lookup would block
 *       while the member owning its partition is frozen, just when a monitor takes over a
 *       frozen node's connections and sends its first close batch there.</li>
 *   <li>The view is "settled" once every cluster member has been heard (newcomers say hello
 *       until then, and everyone answers at once) or after one tick; monitors build their share
 *       only then, and the no-monitor warning waits for it.</li>
 * </ul>
 */
public final class ClusterVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterVerticle.class);
  /** The member attribute vertx-hazelcast stores the Vert.x node id in. */
  private static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private final ClusterState state;
  private final HazelcastClusterManager manager;
  private final boolean holdsConnections;
  private final BooleanSupplier monitorsTicking;
  private HeartbeatConfig config;
  private Membership membership;
  private EventBus bus;
  private UUID listenerId;
  private long timer = -1;
  private long settleTimer = -1;
  private long lastTimerNanos;
  private long holdExpiryUntilNanos;
  private List<String> loggedMonitors = List.of();
  private boolean noMonitorWarned;
  private final Set<Integer> primedIoKeys = new HashSet<>();
  /** Set by stop(): a goodbye was published, nothing may announce this node again. */
  private boolean leaving;

  /**
   * @param holdsConnections whether this node runs I/O instances (for the no-monitor warning)
   * @param monitorsTicking whether this node's monitors ticked lately; they are announced only
   *     then, so a monitor whose event loop is stuck loses its share
   */
  ClusterVerticle(HeartbeatConfig config, ClusterState state, HazelcastClusterManager manager,
      boolean holdsConnections, BooleanSupplier monitorsTicking) {
    this.config = config;
    this.state = state;
    this.manager = manager;
    this.holdsConnections = holdsConnections;
    this.monitorsTicking = monitorsTicking;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    membership = new Membership(state.nodeId());
    state.onLocalMonitorsChanged(() -> context.runOnContext(v -> announce(false)));
    listenerId = manager.getHazelcastInstance().getCluster()
        .addMembershipListener(new MembershipListener() {
          @Override
          public void memberAdded(MembershipEvent event) {
            // Newcomers say hello on the event bus; nothing to do here.
          }

          @Override
          public void memberRemoved(MembershipEvent event) {
            String nodeId = event.getMember().getAttribute(NODE_ID_ATTRIBUTE);
            context.runOnContext(v -> onMemberRemoved(nodeId));
          }
        });
    Future<Void> announces = bus.<JsonObject>consumer(Addresses.CLUSTER_ANNOUNCE, this::onAnnounce)
        .completion();
    Future<Void> reload = bus.<JsonObject>consumer(Addresses.CONFIG_CHANGED,
        m -> reconfigure(m.body())).completion();
    return Future.all(announces, reload).onSuccess(v -> {
      lastTimerNanos = System.nanoTime();
      scheduleTimer();
      settleTimer = vertx.setTimer(config.tickMs(), t -> settle("waited one tick"));
      announce(true);
      if (membership.heardAll(manager.getNodes())) {
        settle("alone in the cluster");
      }
    });
  }

  @Override
  public Future<?> stop() {
    leaving = true;
    bus.publish(Addresses.CLUSTER_ANNOUNCE, self(false, true).toJson());
    try {
      manager.getHazelcastInstance().getCluster().removeMembershipListener(listenerId);
    } catch (RuntimeException e) {
      LOG.debug("Hazelcast already stopped: {}", e.toString());
    }
    return NodeNumbers.release(vertx, state.node(), state.nodeId())
        .recover(e -> Future.succeededFuture());
  }

  private long intervalMs() {
    return Math.max(1, config.tickMs() / 2);
  }

  private void scheduleTimer() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    timer = vertx.setPeriodic(intervalMs(), t -> onTimer());
  }

  private Announce self(boolean hello, boolean leaving) {
    List<String> monitors = monitorsTicking.getAsBoolean() ? state.localMonitors() : List.of();
    return new Announce(state.nodeId(), state.node(), monitors, state.localIoKeys(), hello,
        leaving);
  }

  /** Publishes this node's announce and applies it to the own view at once. */
  private void announce(boolean hello) {
    if (leaving) {
      return;
    }
    Announce me = self(hello, false);
    boolean changed = membership.heard(me, System.nanoTime());
    prime(me.ioKeys());
    bus.publish(Addresses.CLUSTER_ANNOUNCE, me.toJson());
    if (changed) {
      publishView(List.of());
    }
  }

  private void onTimer() {
    long now = System.nanoTime();
    long intervalNanos = intervalMs() * 1_000_000;
    if (now - lastTimerNanos > intervalNanos + intervalNanos / 2) {
      // This loop could not run: the silence of others may be ours. Read what queued first.
      holdExpiryUntilNanos = now + intervalNanos;
    }
    lastTimerNanos = now;
    // Hello until settled: an answer can race the propagation of our subscription.
    announce(!state.settled());
    if (now - holdExpiryUntilNanos >= 0
        && membership.expire(now, config.effectiveMonitorTimeoutMs() * 1_000_000)) {
      publishView(List.of());
    }
  }

  private void onAnnounce(Message<JsonObject> message) {
    Announce announce;
    try {
      announce = Announce.fromJson(message.body());
    } catch (RuntimeException e) {
      LOG.warn("Ignoring a malformed cluster announce {}: {}", message.body(), e.toString());
      return;
    }
    if (announce.nodeId().equals(state.nodeId())) {
      return;
    }
    if (announce.leaving()) {
      if (membership.leaving(announce.nodeId())) {
        LOG.info("Node {}: node {} stopped cleanly", state.node(), announce.node());
        publishView(List.of());
      }
      return;
    }
    boolean changed = membership.heard(announce, System.nanoTime());
    prime(announce.ioKeys());
    if (announce.hello() && !leaving) {
      bus.publish(Addresses.CLUSTER_ANNOUNCE, self(false, false).toJson());
    }
    if (!state.settled() && membership.heardAll(manager.getNodes())) {
      settle("heard every member");
    } else if (changed) {
      publishView(List.of());
    }
  }

  /** First use of each I/O instance address, so Vert.x caches its subscribers (see above). */
  private void prime(List<Integer> ioKeys) {
    for (int key : ioKeys) {
      if (primedIoKeys.add(key)) {
        bus.send(Addresses.ioProbe(key), ProbeCommand.of(List.of()).toBuffer());
        bus.send(Addresses.ioClose(key), CloseCommand.of(List.of()).toBuffer());
      }
    }
  }

  private void onMemberRemoved(String nodeId) {
    int node = membership.left(nodeId);
    if (node >= 0) {
      LOG.warn("Node {}: node {} left the cluster (Hazelcast member {} removed); its connections"
          + " are reported closed with reason node-lost", state.node(), node, nodeId);
      publishView(List.of(node));
    }
    if (!state.settled() && membership.heardAll(manager.getNodes())) {
      settle("heard every member");
    }
  }

  private void settle(String why) {
    if (state.settled()) {
      return;
    }
    vertx.cancelTimer(settleTimer);
    state.settle();
    LOG.info("Node {} joined the cluster view ({}): {}", state.node(), why, membership.view());
    publishView(List.of());
  }

  /** Installs the current view and tells this node's monitors (local publish). */
  private void publishView(List<Integer> lostNodes) {
    MonitorView view = membership.view();
    state.view(view);
    logChanges(view);
    if (state.settled() || !lostNodes.isEmpty()) {
      bus.publish(Addresses.CLUSTER_VIEW,
          new JsonObject().put("lost", new JsonArray(new ArrayList<>(lostNodes))),
          new DeliveryOptions().setLocalOnly(true));
    }
  }

  private void logChanges(MonitorView view) {
    List<String> ids = new ArrayList<>();
    view.monitors().forEach(m -> ids.add(m.id()));
    if (!state.settled()) {
      return;
    }
    if (!ids.equals(loggedMonitors)) {
      LOG.info("Node {}: live monitors now {} (were {})", state.node(), ids, loggedMonitors);
      loggedMonitors = ids;
    }
    if (holdsConnections && ids.isEmpty() && !noMonitorWarned) {
      noMonitorWarned = true;
      LOG.warn("No monitor is reachable: node {} keeps serving its connections, but none is"
          + " checked for silence until a monitor node joins; /ready answers 503 meanwhile",
          state.node());
    } else if (!ids.isEmpty() && noMonitorWarned) {
      noMonitorWarned = false;
      LOG.info("Node {}: a monitor is reachable again ({}), detection resumes", state.node(),
          ids);
    }
  }

  private void reconfigure(JsonObject json) {
    HeartbeatConfig next = HeartbeatConfig.fromChangeEvent(json, config, LOG);
    boolean tickChanged = next.tickMs() != config.tickMs();
    config = next;
    if (tickChanged) {
      scheduleTimer();
    }
  }
}
