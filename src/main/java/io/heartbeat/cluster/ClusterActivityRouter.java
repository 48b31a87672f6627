package io.heartbeat.cluster;

import io.heartbeat.bus.ActivityBatch;
import io.heartbeat.bus.Addresses;
import io.heartbeat.server.ActivityRouter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Clustered routing of one I/O instance's activity: each entry of a batch goes to the monitor
 * its connection is assigned to in this node's current {@link MonitorView}, so a connection is
 * still mentioned at most once per tick, and only to one monitor. While no monitor is live the
 * batches are dropped (the {@link ClusterVerticle} says so once; the monitors rebuild from
 * snapshots when they come).
 *
 * <p>A resync request names the asking monitor and the view it asked with; the answer holds
 * exactly the connections that view assigns to it, whatever this node's own view says at that
 * moment, so the asking monitor ends up with its whole share. Confined to the instance's loop.
 */
final class ClusterActivityRouter implements ActivityRouter {

  private final ClusterState state;

  ClusterActivityRouter(ClusterState state) {
    this.state = state;
  }

  @Override
  public void activity(EventBus bus, Buffer batch) {
    MonitorView view = state.view();
    int monitors = view.size();
    if (monitors == 0) {
      return;
    }
    if (monitors == 1) {
      bus.send(Addresses.monitorActivity(view.monitor(0).id()), batch);
      return;
    }
    Buffer[] parts = new Buffer[monitors];
    int n = ActivityBatch.size(batch);
    for (int i = 0; i < n; i++) {
      int owner = view.ownerIndex(ActivityBatch.idAt(batch, i));
      if (parts[owner] == null) {
        parts[owner] = Buffer.buffer(batch.length() / monitors + ActivityBatch.ENTRY_BYTES);
      }
      parts[owner].appendBuffer(batch, i * ActivityBatch.ENTRY_BYTES, ActivityBatch.ENTRY_BYTES);
    }
    for (int m = 0; m < monitors; m++) {
      if (parts[m] != null) {
        bus.send(Addresses.monitorActivity(view.monitor(m).id()), parts[m]);
      }
    }
  }

  @Override
  public void snapshot(EventBus bus, JsonObject request, Buffer snapshot) {
    String monitor = request.getString(ClusterMonitorScope.RESYNC_MONITOR);
    JsonArray monitors = request.getJsonArray(ClusterMonitorScope.RESYNC_VIEW);
    if (monitor == null || monitors == null) {
      return;
    }
    MonitorView asked = MonitorView.fromMonitorsJson(monitors);
    Buffer share = Buffer.buffer();
    int n = ActivityBatch.size(snapshot);
    for (int i = 0; i < n; i++) {
      MonitorRef owner = asked.ownerOf(ActivityBatch.idAt(snapshot, i));
      if (owner != null && owner.id().equals(monitor)) {
        share.appendBuffer(snapshot, i * ActivityBatch.ENTRY_BYTES, ActivityBatch.ENTRY_BYTES);
      }
    }
    bus.send(Addresses.monitorActivity(monitor), share);
  }
}
