package io.heartbeat.cluster;

import io.heartbeat.bus.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node publishes on {@link Addresses#CLUSTER_ANNOUNCE} every half tick:
 * {@code {"nodeId", "node", "monitors":[id...], "ioKeys":[key...], "hello", "leaving"}}.
 *
 * @param nodeId the Vert.x/Hazelcast node id (a UUID string)
 * @param node the heartbeat node number (part of every connection id of the node)
 * @param monitors ids of the node's monitors that are running and ticking
 * @param ioKeys keys of the node's I/O instances
 * @param hello true in a node's first announce: every node that hears it answers at once with
 *     its own, so a newcomer learns the cluster within a round trip
 * @param leaving true in the last announce of a node that stops cleanly
 */
public record Announce(String nodeId, int node, List<String> monitors, List<Integer> ioKeys,
    boolean hello, boolean leaving) {

  public Announce {
    monitors = List.copyOf(monitors);
    ioKeys = List.copyOf(ioKeys);
  }

  public JsonObject toJson() {
    return new JsonObject().put("nodeId", nodeId).put("node", node)
        .put("monitors", new JsonArray(new ArrayList<>(monitors)))
        .put("ioKeys", new JsonArray(new ArrayList<>(ioKeys))).put("hello", hello)
        .put("leaving", leaving);
  }

  /** Reads an announce; throws ClassCastException or NullPointerException when malformed. */
  public static Announce fromJson(JsonObject json) {
    JsonArray ids = json.getJsonArray("monitors");
    List<String> monitors = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      monitors.add(ids.getString(i));
    }
    JsonArray keys = json.getJsonArray("ioKeys", new JsonArray());
    List<Integer> ioKeys = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      ioKeys.add(keys.getInteger(i));
    }
    return new Announce(json.getString("nodeId"), json.getInteger("node"), monitors, ioKeys,
        json.getBoolean("hello", false), json.getBoolean("leaving", false));
  }
}
