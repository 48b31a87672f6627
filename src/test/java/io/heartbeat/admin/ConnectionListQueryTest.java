package io.heartbeat.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.bus.Commands;
import io.heartbeat.bus.ConnectionListQuery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract the admin listing relies on, as each I/O instance runs it. */
class ConnectionListQueryTest {

  private static List<Long> ids(JsonObject reply) {
    List<Long> ids = new ArrayList<>();
    JsonArray connections = reply.getJsonArray("connections");
    connections.forEach(c -> ids.add(((JsonObject) c).getLong("id")));
    return ids;
  }

  @Test
  void answersLowestIdsAboveTheCursorAndSaysWhetherMoreMatched() {
    ConnectionListQuery query = new ConnectionListQuery(3, 2, null, 0, 0);
    for (long id : new long[] {9, 2, 5, 3, 4}) {
      query.offer(id, "127.0.0.1:" + id, 100, 10, 0);
    }
    JsonObject reply = query.reply();
    assertEquals(List.of(4L, 5L), ids(reply));
    assertTrue(reply.getBoolean("more"));
  }

  @Test
  void filtersByPeerSilenceAndAge() {
    ConnectionListQuery query = new ConnectionListQuery(-1, 10, "10.0.0.", 500, 1000);
    query.offer(1, "10.0.0.1:1", 2000, 600, 1);
    query.offer(2, "10.0.0.2:1", 2000, 499, 0);
    query.offer(3, "10.0.0.3:1", 999, 600, 1);
    query.offer(4, "192.168.0.1:1", 2000, 600, 1);
    JsonObject reply = query.reply();
    assertEquals(List.of(1L), ids(reply));
    assertFalse(reply.getBoolean("more"));
    JsonObject entry = reply.getJsonArray("connections").getJsonObject(0);
    assertEquals(600L, entry.getLong("sinceLastFrameMs"));
    assertEquals(2000L, entry.getLong("ageMs"));
  }

  @Test
  void survivesTheTripOverTheBus() {
    ConnectionListQuery sent = new ConnectionListQuery(42, 7, "127.", 5, 6);
    JsonObject json = sent.toJson();
    assertEquals(Commands.LIST, json.getString(Commands.ACTION));
    ConnectionListQuery read = ConnectionListQuery.fromJson(json);
    assertEquals(42, read.after());
    assertEquals(7, read.limit());
    assertEquals(json, read.toJson());
  }

  @Test
  void absentFieldsMeanFirstPageLargestLimitNoFilter() {
    ConnectionListQuery read = ConnectionListQuery.fromJson(new JsonObject());
    assertEquals(ConnectionListQuery.MAX_LIMIT, read.limit());
    read.offer(Long.MIN_VALUE + 1, "x", 0, 0, 0);
    assertEquals(1, ids(read.reply()).size());
  }

  @Test
  void rejectsOutOfRangeLimitsAndNegativeFilters() {
    assertThrows(IllegalArgumentException.class, () -> new ConnectionListQuery(0, 0, null, 0, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new ConnectionListQuery(0, ConnectionListQuery.MAX_LIMIT + 1, null, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new ConnectionListQuery(0, 1, null, -1, 0));
    assertThrows(IllegalArgumentException.class, () -> new ConnectionListQuery(0, 1, null, 0, -1));
    assertThrows(ClassCastException.class,
        () -> ConnectionListQuery.fromJson(new JsonObject().put("limit", "ten")));
  }
}
