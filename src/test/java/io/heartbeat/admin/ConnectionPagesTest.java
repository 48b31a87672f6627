package io.heartbeat.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.admin.ConnectionPages.InstancePage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ConnectionPagesTest {

  private static JsonObject page(boolean more, long... ids) {
    JsonArray connections = new JsonArray();
    for (long id : ids) {
      connections.add(new JsonObject().put("id", id).put("remoteAddress", "127.0.0.1:" + id));
    }
    return new JsonObject().put("connections", connections).put("more", more);
  }

  private static List<Long> ids(JsonObject merged) {
    List<Long> ids = new ArrayList<>();
    merged.getJsonArray("connections").forEach(c -> ids.add(((JsonObject) c).getLong("id")));
    return ids;
  }

  @Test
  void mergesInstancePagesByIdAndStopsAtTheLimit() {
    JsonObject merged = ConnectionPages.merge(3, -1, 4, List.of(
        InstancePage.answered(1, page(false, 2, 5, 9)),
        InstancePage.answered(2, page(false, 1, 6)),
        InstancePage.answered(3, page(false, 3))));
    assertEquals(List.of(1L, 2L, 3L, 5L), ids(merged));
    assertEquals(5L, merged.getLong("next"));
    assertEquals(3, merged.getInteger("node"));
    assertEquals("node", merged.getString("scope"));
    assertFalse(merged.getBoolean("partial"));
  }

  @Test
  void lastPageHasNoNextCursor() {
    JsonObject merged = ConnectionPages.merge(0, 4, 10, List.of(
        InstancePage.answered(1, page(false, 5, 9)), InstancePage.answered(2, page(false, 6))));
    assertEquals(List.of(5L, 6L, 9L), ids(merged));
    assertNull(merged.getValue("next"));
  }

  @Test
  void fullPageWhoseInstanceHasMoreGivesACursor() {
    JsonObject merged = ConnectionPages.merge(0, -1, 2, List.of(
        InstancePage.answered(1, page(true, 1, 2)), InstancePage.answered(2, page(false))));
    assertEquals(List.of(1L, 2L), ids(merged));
    assertEquals(2L, merged.getLong("next"));
  }

  @Test
  void failedInstanceMakesThePagePartialAndIsNamed() {
    JsonObject merged = ConnectionPages.merge(0, -1, 10, List.of(
        InstancePage.answered(1, page(false, 1)), InstancePage.failed(2, "Timed out")));
    assertTrue(merged.getBoolean("partial"));
    assertEquals(List.of(1L), ids(merged));
    JsonObject failed = merged.getJsonArray("failedInstances").getJsonObject(0);
    assertEquals(2, failed.getInteger("ioKey"));
    assertEquals("Timed out", failed.getString("error"));
  }

  @Test
  void malformedReplyCountsAsAFailedInstance() {
    JsonObject merged = ConnectionPages.merge(0, -1, 10, List.of(
        InstancePage.answered(1, page(false, 1)),
        InstancePage.answered(2, new JsonObject().put("connections", "not an array")),
        InstancePage.answered(3, new JsonObject().put("connections", new JsonArray().add(7)))));
    assertEquals(List.of(1L), ids(merged));
    assertTrue(merged.getBoolean("partial"));
    assertEquals(2, merged.getJsonArray("failedInstances").size());
    assertTrue(merged.getJsonArray("failedInstances").getJsonObject(0).getString("error")
        .startsWith("malformed reply"));
  }

  @Test
  void unsortedOversizedAnswerAtOrBelowTheCursorIsTrimmed() {
    // An instance answering in the old format: everything, in any order, without "more".
    JsonObject merged = ConnectionPages.merge(0, 3, 2, List.of(
        InstancePage.answered(1, new JsonObject().put("connections",
            page(false, 8, 1, 4, 3, 6).getJsonArray("connections")))));
    assertEquals(List.of(4L, 6L), ids(merged));
    assertEquals(6L, merged.getLong("next"));
  }

  @Test
  void walkingTheCursorVisitsEveryIdOnceWhateverThePageSize() {
    List<long[]> instances = List.of(new long[] {1, 4, 7, 10, 13}, new long[] {2, 5, 8},
        new long[] {3, 6, 9, 11, 12, 14, 15});
    for (int limit = 1; limit <= 16; limit++) {
      List<Long> seen = new ArrayList<>();
      long after = -1;
      for (int round = 0; round < 20; round++) {
        List<InstancePage> pages = new ArrayList<>();
        for (int k = 0; k < instances.size(); k++) {
          pages.add(InstancePage.answered(k, instancePage(instances.get(k), after, limit)));
        }
        JsonObject merged = ConnectionPages.merge(0, after, limit, pages);
        seen.addAll(ids(merged));
        if (merged.getValue("next") == null) {
          break;
        }
        after = merged.getLong("next");
      }
      assertEquals(15, seen.size(), "limit " + limit + " saw " + seen);
      assertEquals(15, new TreeSet<>(seen).size(), "limit " + limit + " repeated an id");
    }
  }

  /** What an I/O instance following ConnectionListQuery answers. */
  private static JsonObject instancePage(long[] ids, long after, int limit) {
    List<Long> above = new ArrayList<>();
    for (long id : ids) {
      if (id > after) {
        above.add(id);
      }
    }
    boolean more = above.size() > limit;
    long[] page = above.stream().limit(limit).mapToLong(Long::longValue).toArray();
    return page(more, page);
  }
}
