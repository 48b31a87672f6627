package io.heartbeat.admin;

import io.heartbeat.bus.ConnectionListQuery;
import io.vertx.core.MultiMap;
import java.util.Set;

/**
 * {@code GET /connections} query parameters, validated into a {@link ConnectionListQuery}:
 * {@code after} (cursor: the last id of the previous page), {@code limit} (1..1000, default
 * 100), {@code peer} (substring of the peer's host:port), {@code minSilentMs} and
 * {@code minAgeMs} (at least that long silent / open, in ms).
 */
final class ListRequest {

  /** Page size when {@code limit} is absent. */
  static final int DEFAULT_LIMIT = 100;
  static final Set<String> PARAMETERS = Set.of("after", "limit", "peer", "minSilentMs",
      "minAgeMs");

  private ListRequest() {
  }

  /** @throws BadRequestException naming the first bad parameter */
  static ConnectionListQuery parse(MultiMap query) {
    Params.onlyKnown(query, PARAMETERS);
    long after = Params.longParam(query, "after", 0, Params.MAX_EXACT, -1);
    int limit = (int) Params.longParam(query, "limit", 1, ConnectionListQuery.MAX_LIMIT,
        DEFAULT_LIMIT);
    String peer = Params.stringParam(query, "peer");
    long minSilentMs = Params.longParam(query, "minSilentMs", 0, Params.MAX_EXACT, 0);
    long minAgeMs = Params.longParam(query, "minAgeMs", 0, Params.MAX_EXACT, 0);
    return new ConnectionListQuery(after, limit, peer, minSilentMs, minAgeMs);
  }
}
