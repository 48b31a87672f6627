package io.heartbeat.session;

import io.heartbeat.bus.ConnectionIds;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which connection holds each client id, in the whole deployment: a Vert.x {@link AsyncMap}
 * from client id to connection id (local to the process when Vert.x is not clustered,
 * Hazelcast-backed when it is). Every change is a compare-and-set, so two racing HELLOs for one
 * id leave exactly one holder and never none: the loser of a race retries against the winner.
 *
 * <p>A holder leaves with {@link #release} (only if it still holds the id: a replaced
 * connection removes nothing). Entries of a lost node's connections are removed by
 * {@link #releaseNode}; until then a stale entry never blocks a device, since a HELLO takes
 * over whatever holds its id.
 */
public final class ClientDirectory {

  /** Name of the shared map. */
  public static final String MAP_NAME = "heartbeat.clients";
  /** Compare-and-set attempts before a claim gives up (only a storm of HELLOs for one id). */
  static final int MAX_ATTEMPTS = 32;

  /** A client id and the connection that held it. */
  public record Holder(String clientId, long connectionId) {
  }

  private final Future<AsyncMap<String, Long>> map;

  private ClientDirectory(Future<AsyncMap<String, Long>> map) {
    this.map = map;
  }

  /** The directory of {@code vertx}: cluster-wide when {@code vertx} is clustered. */
  public static ClientDirectory of(Vertx vertx) {
    return new ClientDirectory(vertx.sharedData().<String, Long>getAsyncMap(MAP_NAME));
  }

  /**
   * Makes {@code connectionId} the holder of {@code clientId}. Completes with the connection it
   * took the id over from, or -1 when nobody held it (the client comes online).
   */
  public Future<Long> claim(String clientId, long connectionId) {
    return map.compose(m -> {
      Promise<Long> done = Promise.promise();
      attempt(m, clientId, connectionId, 1, done);
      return done.future();
    });
  }

  private void attempt(AsyncMap<String, Long> m, String clientId, long connectionId, int n,
      Promise<Long> done) {
    if (n > MAX_ATTEMPTS) {
      done.fail("client id " + clientId + " is contended by " + MAX_ATTEMPTS
          + " concurrent HELLOs; refused");
      return;
    }
    m.get(clientId).compose(holder -> {
      if (holder == null) {
        return m.putIfAbsent(clientId, connectionId)
            .map(raced -> raced == null ? Long.valueOf(-1) : null);
      }
      if (holder == connectionId) {
        return Future.succeededFuture(Long.valueOf(-1));
      }
      return m.replaceIfPresent(clientId, holder, connectionId)
          .map(replaced -> replaced ? holder : null);
    }).onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
      } else if (ar.result() == null) {
        attempt(m, clientId, connectionId, n + 1, done);
      } else {
        done.complete(ar.result());
      }
    });
  }

  /** Removes {@code clientId} if {@code connectionId} still holds it; says whether it did. */
  public Future<Boolean> release(String clientId, long connectionId) {
    return map.compose(m -> m.removeIfPresent(clientId, connectionId));
  }

  /** The connection holding {@code clientId}, or null. */
  public Future<Long> holder(String clientId) {
    return map.compose(m -> m.get(clientId));
  }

  /**
   * Removes every entry held by a connection of {@code node} (a node that left the cluster) and
   * returns those it removed (another node may remove some first; each entry is removed once).
   */
  public Future<List<Holder>> releaseNode(int node) {
    return map.compose(m -> m.entries().compose(entries -> {
      List<Future<Boolean>> removals = new ArrayList<>();
      List<Holder> candidates = new ArrayList<>();
      for (Map.Entry<String, Long> e : entries.entrySet()) {
        if (e.getValue() != null && ConnectionIds.nodeOf(e.getValue()) == node) {
          candidates.add(new Holder(e.getKey(), e.getValue()));
          removals.add(m.removeIfPresent(e.getKey(), e.getValue()));
        }
      }
      return Future.join(removals).transform(ignored -> {
        List<Holder> removed = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
          Future<Boolean> r = removals.get(i);
          if (r.succeeded() && Boolean.TRUE.equals(r.result())) {
            removed.add(candidates.get(i));
          }
        }
        return Future.succeededFuture(removed);
      });
    }));
  }
}
