package io.heartbeat.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.bus.ConnectionListQuery;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ListRequestTest {

  private static MultiMap query(String... pairs) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      map.add(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  private static String refusal(String... pairs) {
    return assertThrows(BadRequestException.class, () -> ListRequest.parse(query(pairs)))
        .getMessage();
  }

  @Test
  void defaultsToTheFirstPageOfAHundred() {
    ConnectionListQuery q = ListRequest.parse(query());
    assertEquals(-1, q.after());
    assertEquals(ListRequest.DEFAULT_LIMIT, q.limit());
  }

  @Test
  void readsEveryParameter() {
    JsonObject json = ListRequest.parse(query("after", "17", "limit", "5", "peer", "10.0.",
        "minSilentMs", "3000", "minAgeMs", "60000")).toJson();
    assertEquals(17L, json.getLong("after"));
    assertEquals(5, json.getInteger("limit"));
    assertEquals("10.0.", json.getString("peer"));
    assertEquals(3000L, json.getLong("minSilentMs"));
    assertEquals(60000L, json.getLong("minAgeMs"));
  }

  @Test
  void refusesBadValuesNamingParameterAndRange() {
    assertTrue(refusal("limit", "0").startsWith("limit must be in 1..1000"));
    assertTrue(refusal("limit", "-5").contains("was -5"));
    assertTrue(refusal("limit", "99999999999999999999").contains("whole number"));
    assertTrue(refusal("after", "abc").contains("after must be a whole number"));
    assertTrue(refusal("after", "-1").contains("after must be in 0.."));
    assertTrue(refusal("minSilentMs", "1.5").contains("minSilentMs"));
    assertTrue(refusal("minAgeMs", "-1").contains("minAgeMs"));
    assertTrue(refusal("peer", "").contains("peer must be 1..256 characters"));
    assertTrue(refusal("peer", "x".repeat(257)).contains("was 257"));
  }

  @Test
  void refusesUnknownAndRepeatedParameters() {
    assertTrue(refusal("page", "2").contains("unknown query parameter \"page\"; accepted: after,"
        + " limit, minAgeMs, minSilentMs, peer"));
    assertTrue(refusal("limit", "1", "limit", "2").contains("given more than once"));
  }

  @Test
  void echoesAtMostFortyCharactersOfAHugeValue() {
    String message = refusal("after", "9".repeat(5000));
    assertTrue(message.length() < 200, message);
  }

  @Test
  void connectionIdsAreWholeNumbersWithinTheIdRange() {
    assertEquals(0, Params.connectionId("0"));
    assertEquals(Params.MAX_EXACT, Params.connectionId(Long.toString(Params.MAX_EXACT)));
    assertThrows(BadRequestException.class, () -> Params.connectionId("-1"));
    assertThrows(BadRequestException.class,
        () -> Params.connectionId(Long.toString(Params.MAX_EXACT + 1)));
    assertThrows(BadRequestException.class, () -> Params.connectionId("0x10"));
    assertThrows(BadRequestException.class, () -> Params.connectionId(""));
  }
}
