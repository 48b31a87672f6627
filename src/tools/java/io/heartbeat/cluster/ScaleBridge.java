package io.heartbeat.cluster;

import io.heartbeat.server.ActivityRouter;
import io.vertx.core.json.JsonObject;

/**
 * Lets the scale model (a tool, compiled with the tests) use the package-private cluster
 * routing as the service does: a {@link ClusterActivityRouter} over a given view, and the resync
 * request a {@link ClusterMonitorScope} sends. Not part of the service.
 */
public final class ScaleBridge {

  private ScaleBridge() {
  }

  /** The router an I/O instance of node {@code node} uses while its node sees {@code view}. */
  public static ActivityRouter router(int node, MonitorView view) {
    ClusterState state = new ClusterState("scale-model-" + node, node);
    state.view(view);
    state.settle();
    return new ClusterActivityRouter(state);
  }

  /** The resync request monitor {@code monitorId} publishes when it sees {@code view}. */
  public static JsonObject resyncRequest(String monitorId, MonitorView view) {
    return new JsonObject().put(ClusterMonitorScope.RESYNC_MONITOR, monitorId)
        .put(ClusterMonitorScope.RESYNC_VIEW, view.monitorsJson());
  }

  /** Whether {@code monitorId} tracks the connection in {@code view} (ClusterMonitorScope's rule). */
  public static boolean tracks(MonitorView view, String monitorId, long connectionId) {
    MonitorRef owner = view.ownerOf(connectionId);
    return owner != null && owner.id().equals(monitorId);
  }
}
