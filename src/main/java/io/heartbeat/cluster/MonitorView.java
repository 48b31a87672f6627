package io.heartbeat.cluster;

import io.heartbeat.bus.ConnectionIds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * An immutable view of the live monitors and live nodes, and the assignment of connections to
 * monitors that follows from it. Every node computes the same owner for a connection from the
 * same view, with no coordination.
 *
 * <p>Assignment is rendezvous (highest-random-weight) hashing: the owner of connection {@code c}
 * is the monitor {@code m} with the highest {@code weight(m, c)}. When a monitor leaves, only
 * its own connections move (each to its second choice); when one joins, it takes only the
 * connections it now wins. Monitors on the connection's own node are passed over while any
 * other monitor is live, so the state about a node's connections survives that node: when it
 * dies, their tracker is still alive to report them lost (node-lost).
 *
 * <p>Thread-safe (immutable); shared by the verticles of a node through {@link ClusterState}.
 */
public final class MonitorView {

  /** No monitor, no node. */
  public static final MonitorView EMPTY = new MonitorView(List.of(), Set.of());

  private final MonitorRef[] monitors;
  private final Set<Integer> nodes;

  /**
   * @param monitors the live monitors (any order; kept sorted by id)
   * @param nodes the live node numbers, whatever their roles
   */
  public MonitorView(Collection<MonitorRef> monitors, Set<Integer> nodes) {
    List<MonitorRef> sorted = new ArrayList<>(monitors);
    sorted.sort(Comparator.comparing(MonitorRef::id));
    this.monitors = sorted.toArray(new MonitorRef[0]);
    this.nodes = Set.copyOf(nodes);
  }

  /** Number of live monitors. */
  public int size() {
    return monitors.length;
  }

  /** The {@code i}-th monitor, in id order. */
  public MonitorRef monitor(int i) {
    return monitors[i];
  }

  /** The live monitors, in id order. */
  public List<MonitorRef> monitors() {
    return List.of(monitors);
  }

  /** Whether a node with this number is live (announcing), whatever its role. */
  public boolean hasNode(int node) {
    return nodes.contains(node);
  }

  /** The live node numbers. */
  public Set<Integer> nodes() {
    return nodes;
  }

  /** The monitor that tracks this connection, or null when there is none. */
  public MonitorRef ownerOf(long connectionId) {
    int i = ownerIndex(connectionId);
    return i < 0 ? null : monitors[i];
  }

  /**
   * Index of the owner of this connection, or -1 when there is no monitor: the highest weight
   * among monitors on other nodes, or among all monitors when none runs elsewhere.
   */
  public int ownerIndex(long connectionId) {
    int home = ConnectionIds.nodeOf(connectionId);
    long key = MonitorRef.mix(connectionId);
    int best = -1;
    long bestWeight = 0;
    for (int pass = 0; pass < 2 && best < 0; pass++) {
      for (int i = 0; i < monitors.length; i++) {
        if (pass == 0 && monitors[i].node() == home) {
          continue;
        }
        long weight = MonitorRef.mix(monitors[i].hash() ^ key);
        if (best < 0 || weight > bestWeight) {
          best = i;
          bestWeight = weight;
        }
      }
    }
    return best;
  }

  /** The monitors as JSON {@code [{"id","node"}...]} (carried by resync requests). */
  public JsonArray monitorsJson() {
    JsonArray out = new JsonArray();
    for (MonitorRef m : monitors) {
      out.add(new JsonObject().put("id", m.id()).put("node", m.node()));
    }
    return out;
  }

  /** A view of just the monitors in {@code json} ({@link #monitorsJson()} format). */
  public static MonitorView fromMonitorsJson(JsonArray json) {
    List<MonitorRef> list = new ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      JsonObject m = json.getJsonObject(i);
      list.add(MonitorRef.of(m.getString("id"), m.getInteger("node")));
    }
    return new MonitorView(list, Set.of());
  }

  @Override
  public String toString() {
    List<String> ids = new ArrayList<>();
    for (MonitorRef m : monitors) {
      ids.add(m.id());
    }
    return "monitors " + ids + ", nodes " + nodes;
  }
}
