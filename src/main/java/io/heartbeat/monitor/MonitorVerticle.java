package io.heartbeat.monitor;

import io.heartbeat.bus.ActivityBatch;
import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.CloseCommand;
import io.heartbeat.bus.CloseReply;
import io.heartbeat.bus.ConnectionIds;
import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.bus.ProbeCommand;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.metrics.HeartbeatMetrics;
import io.heartbeat.session.ClientDirectory;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor verticle: keeps the {@link LivenessTable} current from the I/O instances' events
 * and activity batches, ages it with {@code vertx.setPeriodic} (guarded by {@link TickGuard}),
 * and sends close and probe batches to the owning I/O instances. It never touches a socket.
 *
 * <p>On start it publishes {@link Addresses#MONITOR_RESYNC}; every I/O instance answers with a
 * snapshot of its connections, so a monitor deployed late or restarted rebuilds its table.
 *
 * <p>Its {@link MonitorScope} says which connections it tracks: all of them in one process; in a
 * cluster its share, which the scope changes when monitors come and go (the monitor then drops
 * what it no longer tracks and resyncs), and which I/O nodes were lost (their tracked
 * connections are reported closed with reason node-lost).
 */
public final class MonitorVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MonitorVerticle.class);

  private final HeartbeatMetrics metrics;
  private final MonitorScope scope;
  private HeartbeatConfig config;
  private LivenessTable table;
  private long lastTickNanos;
  private TickGuard guard;
  private EventBus bus;
  private long timer = -1;

  /**
   * @param config validated settings; later run-time changes arrive on the event bus
   * @param metrics where tick duration, lateness and stalls are recorded
   */
  public MonitorVerticle(HeartbeatConfig config, HeartbeatMetrics metrics) {
    this(config, metrics, MonitorScope.singleProcess());
  }

  /**
   * @param scope which connections this monitor tracks (one of several monitors in a cluster)
   */
  public MonitorVerticle(HeartbeatConfig config, HeartbeatMetrics metrics, MonitorScope scope) {
    this.config = config;
    this.metrics = metrics;
    this.scope = scope;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    long now = System.nanoTime();
    table = new LivenessTable(config.maxMissed(), tickNanos(), now);
    applySwitches();
    guard = new TickGuard(tickNanos());
    Future<Void> opened = bus.<JsonObject>consumer(Addresses.CONNECTION_OPENED,
        m -> onOpened(m.body().getLong("id"))).completion();
    Future<Void> closed = bus.<JsonObject>consumer(Addresses.CONNECTION_CLOSED,
        m -> table.removed(m.body().getLong("id"))).completion();
    Future<Void> activity = bus.<Buffer>consumer(scope.activityAddress(), this::onActivity)
        .completion();
    Future<Void> reload = bus.<JsonObject>consumer(Addresses.CONFIG_CHANGED,
        m -> reconfigure(m.body())).completion();
    return Future.all(opened, closed, activity, reload).compose(v -> {
      scheduleTicks();
      return scope.start(vertx, new MonitorScope.Listener() {
        @Override
        public void reassigned() {
          resync();
        }

        @Override
        public void nodeLost(int node) {
          reportNodeLost(node);
        }
      });
    });
  }

  @Override
  public Future<?> stop() {
    return scope.stop();
  }

  private void onOpened(long id) {
    if (scope.tracks(id)) {
      table.opened(id);
    }
  }

  /** Drops what this monitor no longer tracks and asks every I/O instance for its share. */
  private void resync() {
    int dropped = table.removeMatching(id -> !scope.tracks(id), (id, missed) -> { });
    if (dropped > 0) {
      LOG.info("Monitor handed {} connections over to other monitors", dropped);
    }
    bus.publish(Addresses.MONITOR_RESYNC, scope.resyncRequest());
  }

  /**
   * Reports every tracked connection of a lost I/O node closed (node-lost) and drops it; frees
   * the client ids its connections held (each monitor tries, each id is freed once) and
   * reports those clients offline.
   */
  private void reportNodeLost(int node) {
    int lost = table.removeMatching(id -> ConnectionIds.nodeOf(id) == node, this::publishNodeLost);
    if (lost > 0) {
      LOG.warn("I/O node {} left the cluster: {} of its connections tracked here reported closed"
          + " (node-lost)", node, lost);
    }
    ClientDirectory.of(vertx).releaseNode(node).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("Could not free the client ids of lost node {}: {}", node,
            ar.cause().getMessage());
        return;
      }
      for (ClientDirectory.Holder holder : ar.result()) {
        bus.publish(Addresses.CLIENT_OFFLINE, LifecycleEvents.offline(holder.clientId(),
            holder.connectionId(), LifecycleEvents.NODE_LOST, -1));
      }
    });
  }

  private void publishNodeLost(long id, int missedTicks) {
    bus.publish(Addresses.CONNECTION_CLOSED, LifecycleEvents.closed(id, null,
        LifecycleEvents.NODE_LOST, missedTicks * config.tickMs(), missedTicks, -1));
  }

  private long tickNanos() {
    return config.tickMs() * 1_000_000;
  }

  private void applySwitches() {
    table.configure(config.maxMissed(), tickNanos(), config.detectionEnabled(),
        config.probeEnabled(), config.probeAfterMissed());
  }

  private void scheduleTicks() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    timer = vertx.setPeriodic(config.tickMs(), t -> onTick());
    metrics.monitorStarted(System.nanoTime(), tickNanos());
  }

  private void onActivity(Message<Buffer> message) {
    long now = System.nanoTime();
    Buffer batch = message.body();
    int n = ActivityBatch.size(batch);
    for (int i = 0; i < n; i++) {
      long id = ActivityBatch.idAt(batch, i);
      if (scope.tracks(id)) {
        table.activity(id, now - ActivityBatch.ageMsAt(batch, i) * 1_000_000L,
            ActivityBatch.intervalTicksAt(batch, i));
      }
    }
  }

  private void onTick() {
    long now = System.nanoTime();
    TickGuard.Decision decision = guard.onTimer(now);
    long lateness = lastTickNanos == 0 ? 0 : now - lastTickNanos - tickNanos();
    lastTickNanos = now;
    if (decision == TickGuard.Decision.STALLED) {
      metrics.monitorStalled();
      LOG.warn("Monitor could not run for {} ms (GC pause, CPU starvation or a stopped process);"
          + " that time is not counted against any connection", guard.lastStallNanos() / 1_000_000);
      if (scope.resyncAfterStall()) {
        table.skippedSweeps(now);
        resync();
      }
    }
    if (decision != TickGuard.Decision.AGE) {
      metrics.monitorTick(now, 0, lateness, table.size());
      return;
    }
    LivenessTable.SweepResult result = table.sweep(now);
    metrics.monitorTick(now, System.nanoTime() - now, lateness, table.size());
    for (Map.Entry<Integer, List<Long>> due : result.closeByOwner().entrySet()) {
      proposeClose(due.getKey(), due.getValue());
    }
    for (Map.Entry<Integer, List<Long>> silent : result.probeByOwner().entrySet()) {
      bus.send(Addresses.ioProbe(silent.getKey()), ProbeCommand.of(silent.getValue()).toBuffer());
    }
  }

  private void proposeClose(int owner, List<Long> ids) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(Math.max(1000, config.tickMs()));
    bus.<Buffer>request(Addresses.ioClose(owner), CloseCommand.of(ids).toBuffer(), options)
        .onSuccess(reply -> onCloseReply(CloseReply.fromBuffer(reply.body())))
        .onFailure(error -> {
          boolean ownerGone = error instanceof ReplyException
              && ((ReplyException) error).failureType() == ReplyFailure.NO_HANDLERS;
          if (ownerGone && scope.ownerLost(owner)) {
            // Its node left the cluster before the node-lost notice reached this monitor.
            reportNodeLost(ConnectionIds.nodeOfKey(owner));
            return;
          }
          for (Long id : ids) {
            if (ownerGone) {
              table.removed(id);
            } else {
              table.unanswered(id);
            }
          }
          if (!ownerGone) {
            LOG.warn("I/O instance {} did not answer a close batch of {} in time: {}; retrying"
                + " next tick", owner, ids.size(), error.getMessage());
          }
        });
  }

  private void onCloseReply(CloseReply reply) {
    long now = System.nanoTime();
    long[] refused = reply.refused();
    for (int i = 0; i < refused.length; i++) {
      table.refused(refused[i], reply.refusedIdleMs()[i], now);
    }
    for (long id : reply.unknown()) {
      table.removed(id);
    }
  }

  private void reconfigure(JsonObject json) {
    HeartbeatConfig next = HeartbeatConfig.fromChangeEvent(json, config, LOG);
    boolean tickChanged = next.tickMs() != config.tickMs();
    config = next;
    applySwitches();
    guard.setTickNanos(tickNanos());
    if (tickChanged) {
      scheduleTicks();
    }
  }
}
