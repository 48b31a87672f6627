package io.heartbeat.cluster;

import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.ConnectionIds;
import io.heartbeat.monitor.MonitorScope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A clustered monitor's share: the connections its node's {@link MonitorView} assigns to it.
 * Activity arrives on its own address ({@link Addresses#monitorActivity}). On every view change
 * of its node (once settled) the monitor drops what moved away and asks the I/O instances for
 * its share; a resync request carries the view it was computed with, so the answer matches it.
 */
final class ClusterMonitorScope implements MonitorScope {

  /** Resync request field: the asking monitor's id. */
  static final String RESYNC_MONITOR = "monitor";
  /** Resync request field: the live monitors the asking monitor sees. */
  static final String RESYNC_VIEW = "monitors";

  private final String id;
  private final ClusterState state;
  private MessageConsumer<JsonObject> views;

  ClusterMonitorScope(String id, ClusterState state) {
    this.id = id;
    this.state = state;
  }

  @Override
  public String activityAddress() {
    return Addresses.monitorActivity(id);
  }

  @Override
  public boolean tracks(long connectionId) {
    MonitorRef owner = state.view().ownerOf(connectionId);
    return owner != null && owner.id().equals(id);
  }

  @Override
  public JsonObject resyncRequest() {
    return new JsonObject().put(RESYNC_MONITOR, id)
        .put(RESYNC_VIEW, state.view().monitorsJson());
  }

  @Override
  public boolean ownerLost(int ioKey) {
    return !state.view().hasNode(ConnectionIds.nodeOfKey(ioKey));
  }

  @Override
  public boolean resyncAfterStall() {
    return true;
  }

  @Override
  public Future<Void> start(Vertx vertx, Listener listener) {
    views = vertx.eventBus().localConsumer(Addresses.CLUSTER_VIEW, m -> {
      JsonArray lost = m.body().getJsonArray("lost");
      for (int i = 0; i < lost.size(); i++) {
        listener.nodeLost(lost.getInteger(i));
      }
      if (state.settled()) {
        listener.reassigned();
      }
    });
    return views.completion().onSuccess(v -> state.localMonitorUp(id));
  }

  @Override
  public Future<Void> stop() {
    state.localMonitorDown(id);
    return views == null ? Future.succeededFuture() : views.unregister();
  }
}
