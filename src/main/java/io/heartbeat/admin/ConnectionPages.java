package io.heartbeat.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Merges the pages of every I/O instance of a node into one page of the admin listing: a k-way
 * merge by connection id, at most {@code limit} entries, the cursor of the next page, and which
 * instances did not answer. Pure: no Vert.x, no clock.
 */
final class ConnectionPages {

  /** What one I/O instance answered: its page, or why there is none. */
  record InstancePage(int ioKey, JsonObject reply, String failure) {

    static InstancePage answered(int ioKey, JsonObject reply) {
      return new InstancePage(ioKey, reply, null);
    }

    static InstancePage failed(int ioKey, String failure) {
      return new InstancePage(ioKey, null, failure);
    }
  }

  private ConnectionPages() {
  }

  /**
   * {@code {"node", "scope":"node", "connections":[...], "next":id|null, "partial",
   * "failedInstances":[{"ioKey","error"}]}}. {@code next} is the last id of this page when more
   * connections may follow, else null. Each instance's page is taken as sorted-by-id only after
   * sorting it here, and entries at or below {@code after} or past {@code limit} are dropped, so
   * an instance answering more than asked cannot break the page. A reply that is not the
   * expected shape counts as a failed instance.
   */
  static JsonObject merge(int node, long after, int limit, List<InstancePage> pages) {
    PriorityQueue<Cursor> heads = new PriorityQueue<>(Comparator.comparingLong(Cursor::headId));
    JsonArray failed = new JsonArray();
    boolean instanceHasMore = false;
    for (InstancePage page : pages) {
      if (page.failure() != null) {
        failed.add(new JsonObject().put("ioKey", page.ioKey()).put("error", page.failure()));
        continue;
      }
      Cursor cursor;
      try {
        cursor = Cursor.of(page.reply().getJsonArray("connections", new JsonArray()), after);
        instanceHasMore |= page.reply().getBoolean("more", false);
      } catch (ClassCastException e) {
        failed.add(new JsonObject().put("ioKey", page.ioKey())
            .put("error", "malformed reply: " + e.getMessage()));
        continue;
      }
      if (cursor.hasHead()) {
        heads.add(cursor);
      }
    }
    JsonArray out = new JsonArray();
    Long lastId = null;
    while (out.size() < limit && !heads.isEmpty()) {
      Cursor cursor = heads.poll();
      JsonObject entry = cursor.take();
      lastId = entry.getLong("id");
      out.add(entry);
      if (cursor.hasHead()) {
        heads.add(cursor);
      }
    }
    boolean more = out.size() == limit && (!heads.isEmpty() || instanceHasMore);
    return new JsonObject().put("node", node).put("scope", "node").put("connections", out)
        .put("next", more ? lastId : null).put("partial", !failed.isEmpty())
        .put("failedInstances", failed);
  }

  /** One instance's entries above the cursor, lowest id first. */
  private static final class Cursor {
    private final List<JsonObject> entries;
    private int next;

    private Cursor(List<JsonObject> entries) {
      this.entries = entries;
    }

    static Cursor of(JsonArray connections, long after) {
      List<JsonObject> entries = new ArrayList<>(connections.size());
      for (int i = 0; i < connections.size(); i++) {
        JsonObject entry = connections.getJsonObject(i);
        Long id = entry.getLong("id");
        if (id != null && id > after) {
          entries.add(entry);
        }
      }
      entries.sort(Comparator.comparingLong(e -> e.getLong("id")));
      return new Cursor(entries);
    }

    boolean hasHead() {
      return next < entries.size();
    }

    long headId() {
      return entries.get(next).getLong("id");
    }

    JsonObject take() {
      return entries.get(next++);
    }
  }
}
