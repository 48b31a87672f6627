package io.heartbeat.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The admin API's connection listing as it travels to each I/O instance
 * ({@code {"action":"list", ...}}) and the page that instance answers with.
 *
 * <p>An I/O instance builds one query from the request ({@link #fromJson}), offers it every open
 * connection in any order ({@link #offer}) and replies {@link #reply()}: the matching connections
 * with an id above {@code after}, lowest ids first, at most {@code limit} of them, and whether
 * more matched. Ids never repeat, so a cursor of "the last id seen" is stable while connections
 * come and go. Not thread-safe: one query per request, on the instance's event loop.
 */
public final class ConnectionListQuery {

  /** Largest page an instance answers with. */
  public static final int MAX_LIMIT = 1000;

  private final long after;
  private final int limit;
  private final String peer;
  private final long minSilentMs;
  private final long minAgeMs;
  private final List<JsonObject> matches = new ArrayList<>();

  /**
   * @param after only connections with an id above this (Long.MIN_VALUE for the first page)
   * @param limit at most this many connections, 1..{@link #MAX_LIMIT}
   * @param peer substring of the peer's host:port, or null for any
   * @param minSilentMs only connections silent for at least this many ms (0 for any)
   * @param minAgeMs only connections open for at least this many ms (0 for any)
   * @throws IllegalArgumentException naming the bad value
   */
  public ConnectionListQuery(long after, int limit, String peer, long minSilentMs, long minAgeMs) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + limit);
    }
    if (minSilentMs < 0 || minAgeMs < 0) {
      throw new IllegalArgumentException("minSilentMs and minAgeMs must be >= 0");
    }
    this.after = after;
    this.limit = limit;
    this.peer = peer;
    this.minSilentMs = minSilentMs;
    this.minAgeMs = minAgeMs;
  }

  /** Only connections with an id above this are listed (the cursor). */
  public long after() {
    return after;
  }

  /** Most connections one page holds. */
  public int limit() {
    return limit;
  }

  /** The request body sent to an I/O instance. */
  public JsonObject toJson() {
    return new JsonObject().put(Commands.ACTION, Commands.LIST).put("after", after)
        .put("limit", limit).put("peer", peer).put("minSilentMs", minSilentMs)
        .put("minAgeMs", minAgeMs);
  }

  /**
   * Reads a request body; absent fields take their defaults (first page, {@link #MAX_LIMIT},
   * no filter).
   *
   * @throws IllegalArgumentException or ClassCastException on a malformed body
   */
  public static ConnectionListQuery fromJson(JsonObject json) {
    Long after = json.getLong("after");
    Integer limit = json.getInteger("limit");
    Long minSilentMs = json.getLong("minSilentMs");
    Long minAgeMs = json.getLong("minAgeMs");
    return new ConnectionListQuery(after == null ? Long.MIN_VALUE : after,
        limit == null ? MAX_LIMIT : limit, json.getString("peer"),
        minSilentMs == null ? 0 : minSilentMs, minAgeMs == null ? 0 : minAgeMs);
  }

  /** Offers one open connection; kept if it matches. */
  public void offer(long id, String remoteAddress, long ageMs, long sinceLastFrameMs,
      long missedTicks) {
    if (id <= after || sinceLastFrameMs < minSilentMs || ageMs < minAgeMs
        || (peer != null && !remoteAddress.contains(peer))) {
      return;
    }
    matches.add(new JsonObject().put("id", id).put("remoteAddress", remoteAddress)
        .put("ageMs", ageMs).put("sinceLastFrameMs", sinceLastFrameMs)
        .put("missedTicks", missedTicks));
  }

  /**
   * {@code {"connections":[...], "more":bool}}: the lowest-id matches, at most limit, and
   * whether more matched.
   */
  public JsonObject reply() {
    matches.sort(Comparator.comparingLong(c -> c.getLong("id")));
    boolean more = matches.size() > limit;
    List<JsonObject> page = more ? matches.subList(0, limit) : matches;
    return new JsonObject().put("connections", new JsonArray(new ArrayList<>(page)))
        .put("more", more);
  }
}
