package io.heartbeat.cluster;

import io.heartbeat.bus.ConnectionIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Counter;
import java.util.List;
import java.util.function.Supplier;

/**
 * Hands out heartbeat node numbers (0..{@link ConnectionIds#MAX_NODE}) unique among the live
 * nodes, so connection ids are unique across the cluster. A cluster-wide counter spreads the
 * numbers (a restarted node gets a new one); a cluster-wide map of number to node id guards
 * against the counter wrapping onto a number a live node still holds: a claimed number is
 * taken over only when its holder is no longer a cluster member.
 */
final class NodeNumbers {

  static final String COUNTER = "heartbeat.cluster.nodeCounter";
  static final String HOLDERS = "heartbeat.cluster.nodeNumbers";

  private NodeNumbers() {
  }

  /**
   * Claims a number for {@code nodeId}.
   *
   * @param members the ids of the current cluster members
   */
  static Future<Integer> claim(Vertx vertx, String nodeId, Supplier<List<String>> members) {
    return vertx.sharedData().getCounter(COUNTER).compose(counter ->
        vertx.sharedData().<String, String>getAsyncMap(HOLDERS).compose(holders ->
            attempt(counter, holders, nodeId, members, 0)));
  }

  private static Future<Integer> attempt(Counter counter, AsyncMap<String, String> holders,
      String nodeId, Supplier<List<String>> members, int tries) {
    if (tries > ConnectionIds.MAX_NODE) {
      return Future.failedFuture(new IllegalStateException("No free node number: "
          + (ConnectionIds.MAX_NODE + 1) + " live nodes hold them all"));
    }
    return counter.getAndIncrement().compose(value -> {
      int number = (int) Math.floorMod(value, (long) ConnectionIds.MAX_NODE + 1);
      String key = Integer.toString(number);
      return holders.putIfAbsent(key, nodeId).compose(holder -> {
        if (holder == null || holder.equals(nodeId)) {
          return Future.succeededFuture(number);
        }
        if (members.get().contains(holder)) {
          return attempt(counter, holders, nodeId, members, tries + 1);
        }
        return holders.replaceIfPresent(key, holder, nodeId).compose(replaced -> replaced
            ? Future.succeededFuture(number)
            : attempt(counter, holders, nodeId, members, tries + 1));
      });
    });
  }

  /** Gives the number back when the node stops cleanly. */
  static Future<Void> release(Vertx vertx, int number, String nodeId) {
    return vertx.sharedData().<String, String>getAsyncMap(HOLDERS)
        .compose(holders -> holders.removeIfPresent(Integer.toString(number), nodeId))
        .mapEmpty();
  }
}
