package io.heartbeat.monitor;

import io.heartbeat.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Which connections a {@link MonitorVerticle} tracks and where its activity arrives. In one
 * process the monitor tracks everything ({@link #singleProcess()}); in a cluster each live
 * monitor tracks its share (io.heartbeat.cluster.ClusterMonitorScope), and the scope tells the
 * monitor when that share changed or an I/O node was lost.
 *
 * <p>Every method is called on the monitor's event loop, and the listener is called there too.
 */
public interface MonitorScope {

  /** What the scope asks of its monitor; called on the monitor's event loop. */
  interface Listener {

    /**
     * The assignment changed (or the scope just became ready): drop entries no longer tracked
     * and ask the I/O instances for a snapshot with {@link #resyncRequest()}.
     */
    void reassigned();

    /**
     * The I/O node with this number left the cluster: every tracked connection of it is
     * reported closed with reason node-lost and dropped.
     */
    void nodeLost(int node);
  }

  /** Address the I/O instances send this monitor's activity batches and snapshots to. */
  String activityAddress();

  /** Whether this monitor is responsible for the connection now. */
  boolean tracks(long connectionId);

  /** Body of the {@link Addresses#MONITOR_RESYNC} publish that rebuilds this monitor's share. */
  JsonObject resyncRequest();

  /**
   * A close batch to this I/O instance found no handler: whether that is because its node left
   * the cluster (its connections are then reported node-lost) rather than a normal undeploy.
   */
  boolean ownerLost(int ioKey);

  /**
   * Starts following the assignment; completes when ready. Calls
   * {@link Listener#reassigned()} when the monitor should (re)build its share, the first time
   * once the scope knows the other monitors.
   */
  Future<Void> start(Vertx vertx, Listener listener);

  /**
   * Whether the monitor rebuilds its share from snapshots after its own event loop stalled. In
   * one process the I/O instances stalled too and their records are no fresher; in a cluster
   * they kept running, so a monitor that was frozen meanwhile takes their word.
   */
  default boolean resyncAfterStall() {
    return false;
  }

  /** Stops following the assignment. */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }

  /** One process: the monitor tracks every connection and resyncs once, at start. */
  static MonitorScope singleProcess() {
    return new MonitorScope() {
      @Override
      public String activityAddress() {
        return Addresses.MONITOR_ACTIVITY;
      }

      @Override
      public boolean tracks(long connectionId) {
        return true;
      }

      @Override
      public JsonObject resyncRequest() {
        return new JsonObject();
      }

      @Override
      public boolean ownerLost(int ioKey) {
        return false;
      }

      @Override
      public Future<Void> start(Vertx vertx, Listener listener) {
        listener.reassigned();
        return Future.succeededFuture();
      }
    };
  }
}
