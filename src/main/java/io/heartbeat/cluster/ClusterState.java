package io.heartbeat.cluster;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * What the verticles of one clustered node share: the node's number and id, the current
 * {@link MonitorView} (written by the {@link ClusterVerticle}, read by every I/O instance and
 * monitor of the node), whether that view has settled after start, and which of the node's
 * own monitors are up. Thread-safe.
 */
public final class ClusterState {

  private final String nodeId;
  private final int node;
  private final Set<String> localMonitors = new CopyOnWriteArraySet<>();
  private final Set<Integer> localIoKeys = new CopyOnWriteArraySet<>();
  private volatile MonitorView view = MonitorView.EMPTY;
  private volatile boolean settled;
  private volatile Runnable onLocalMonitorsChanged = () -> { };

  ClusterState(String nodeId, int node) {
    this.nodeId = nodeId;
    this.node = node;
  }

  /** The Vert.x/Hazelcast node id. */
  public String nodeId() {
    return nodeId;
  }

  /** The heartbeat node number (in every connection id of this node). */
  public int node() {
    return node;
  }

  /** The current view of the live monitors (never null). */
  public MonitorView view() {
    return view;
  }

  /**
   * Whether the node has heard from every cluster member since it started (or waited a tick
   * for them): before that its view may lack monitors that exist.
   */
  public boolean settled() {
    return settled;
  }

  /** Settled and at least one monitor is live somewhere in the cluster. */
  public boolean monitorReachable() {
    return settled && view.size() > 0;
  }

  void view(MonitorView next) {
    this.view = next;
  }

  void settle() {
    this.settled = true;
  }

  /** This node's monitors that are up, in announce order. */
  List<String> localMonitors() {
    return List.copyOf(localMonitors);
  }

  /** Keys of this node's I/O instances. */
  List<Integer> localIoKeys() {
    return List.copyOf(localIoKeys);
  }

  void localIoKey(int ioKey) {
    localIoKeys.add(ioKey);
  }

  /** A monitor of this node is ready to be assigned connections. */
  void localMonitorUp(String monitorId) {
    localMonitors.add(monitorId);
    onLocalMonitorsChanged.run();
  }

  /** A monitor of this node stopped. */
  void localMonitorDown(String monitorId) {
    localMonitors.remove(monitorId);
    onLocalMonitorsChanged.run();
  }

  void onLocalMonitorsChanged(Runnable action) {
    this.onLocalMonitorsChanged = action;
  }
}
