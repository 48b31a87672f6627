package io.heartbeat.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nodes a node has heard announce themselves, and the monitors they run. Pure logic: times
 * are arguments (monotonic nanoseconds), so tests drive it without a cluster.
 *
 * <p>Three ways out: a node unheard of for the timeout {@link #expire expires} (its monitors
 * stop being assigned connections; it may come back); a node that announces it is
 * {@link #leaving} stopped cleanly; a node Hazelcast removed from the cluster has {@link #left},
 * and its number is returned so its connections can be reported lost. A node's number is kept
 * after it expires, so a later Hazelcast removal still names it.
 *
 * <p>Not thread-safe; confined to the {@link ClusterVerticle}'s event loop.
 */
final class Membership {

  private static final class Member {
    final int node;
    List<String> monitors;
    long lastHeardNanos;

    Member(int node, List<String> monitors, long lastHeardNanos) {
      this.node = node;
      this.monitors = monitors;
      this.lastHeardNanos = lastHeardNanos;
    }
  }

  private final String selfId;
  private final Map<String, Member> members = new HashMap<>();
  /** Node number by node id, for every node heard of that has not left or said goodbye. */
  private final Map<String, Integer> numbers = new HashMap<>();

  /** @param selfId this node's id: it never expires */
  Membership(String selfId) {
    this.selfId = selfId;
  }

  /** An announce arrived; returns true when the live monitors or nodes changed. */
  boolean heard(Announce announce, long nowNanos) {
    numbers.put(announce.nodeId(), announce.node());
    Member member = members.get(announce.nodeId());
    if (member == null || member.node != announce.node()) {
      members.put(announce.nodeId(), new Member(announce.node(), announce.monitors(), nowNanos));
      return true;
    }
    member.lastHeardNanos = nowNanos;
    if (!member.monitors.equals(announce.monitors())) {
      member.monitors = announce.monitors();
      return true;
    }
    return false;
  }

  /**
   * Drops every other node not heard of for more than {@code timeoutNanos}; returns true when
   * any was dropped.
   */
  boolean expire(long nowNanos, long timeoutNanos) {
    boolean changed = false;
    for (Iterator<Map.Entry<String, Member>> it = members.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Member> e = it.next();
      if (!e.getKey().equals(selfId) && nowNanos - e.getValue().lastHeardNanos > timeoutNanos) {
        it.remove();
        changed = true;
      }
    }
    return changed;
  }

  /** The node said it is stopping cleanly; returns true when it was live. */
  boolean leaving(String nodeId) {
    numbers.remove(nodeId);
    return members.remove(nodeId) != null;
  }

  /**
   * Hazelcast removed the node from the cluster; returns its number, or -1 when it said goodbye
   * first or was never heard of.
   */
  int left(String nodeId) {
    members.remove(nodeId);
    Integer number = numbers.remove(nodeId);
    return number == null ? -1 : number;
  }

  /** Whether every node id given (other than this node) has been heard and is live. */
  boolean heardAll(Collection<String> nodeIds) {
    for (String id : nodeIds) {
      if (!id.equals(selfId) && !members.containsKey(id)) {
        return false;
      }
    }
    return true;
  }

  /** The live monitors and nodes now. */
  MonitorView view() {
    List<MonitorRef> monitors = new ArrayList<>();
    Set<Integer> nodes = new HashSet<>();
    for (Member m : members.values()) {
      nodes.add(m.node);
      for (String id : m.monitors) {
        monitors.add(MonitorRef.of(id, m.node));
      }
    }
    return new MonitorView(monitors, nodes);
  }
}
