package io.heartbeat.config;

import static io.heartbeat.config.ConfigLayersTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One key's names, accepted values and messages; and the catalogue in {@link Settings}. */
class SettingTest {

  private static final Setting SMALL_INT = Setting.intSetting("smallInt", 5, 0, 10, false,
      "A test integer.");
  private static final Setting BIG_LONG = Setting.longSetting("bigLong", 3000, 10, 3_600_000,
      false, "A test long.");
  private static final Setting FLAG = Setting.boolSetting("flag", false, false, "A test flag.");
  private static final Setting ORDER = Setting.choiceSetting("order", "LITTLE_ENDIAN",
      List.of("LITTLE_ENDIAN", "BIG_ENDIAN"), false, "A test choice.");
  private static final Setting NAME = Setting.stringSetting("name", "x", false, "A test string.");

  @ParameterizedTest
  @CsvSource({
      "tickMs, HEARTBEAT_TICK_MS",
      "maxMissed, HEARTBEAT_MAX_MISSED",
      "port, HEARTBEAT_PORT",
      "maxPayloadBytes, HEARTBEAT_MAX_PAYLOAD_BYTES",
      "tcpKeepAliveIdleSeconds, HEARTBEAT_TCP_KEEP_ALIVE_IDLE_SECONDS",
      "ioInstances, HEARTBEAT_IO_INSTANCES"})
  void derivesEnvironmentNameFromKey(String key, String envName) {
    assertEquals(envName, Settings.byKey(key).envName());
  }

  @Test
  void derivesEnvironmentNameFromDottedKey() {
    Setting dotted = Setting.intSetting("admin.port", 0, 0, 65535, false, "Admin port.");

    assertEquals("HEARTBEAT_ADMIN_PORT", dotted.envName());
    assertEquals("heartbeat.admin.port", dotted.propertyName());
  }

  @Test
  void propertyNameIsHeartbeatDotKey() {
    assertEquals("heartbeat.tickMs", Settings.TICK_MS.propertyName());
    for (Setting s : Settings.all()) {
      assertEquals("heartbeat." + s.key(), s.propertyName());
    }
  }

  @Test
  void everySettingHasItsOwnWellFormedEnvironmentName() {
    Set<String> seen = new HashSet<>();
    for (Setting s : Settings.all()) {
      assertTrue(s.envName().matches("HEARTBEAT_[A-Z0-9]+(_[A-Z0-9]+)*"), s.envName());
      assertTrue(seen.add(s.envName()), "duplicate " + s.envName());
    }
  }

  @Test
  void catalogueFindsEveryKeyAndNothingElse() {
    for (Setting s : Settings.all()) {
      assertSame(s, Settings.byKey(s.key()));
    }
    assertNull(Settings.byKey("tickms"));
    assertNull(Settings.byKey("HEARTBEAT_TICK_MS"));
  }

  @Test
  void everyDefaultIsAValueItsSettingAccepts() throws ConfigException {
    for (Setting s : Settings.all()) {
      assertEquals(s.defaultValue(), s.parse(s.defaultValue(), "test"), s.key());
      assertEquals(s.defaultValue(), s.parse(String.valueOf(s.defaultValue()), "test"), s.key());
    }
  }

  @Test
  void everySettingDescribesItselfOnOneLine() {
    for (Setting s : Settings.all()) {
      assertTrue(!s.description().isBlank(), s.key());
      // A credential's value is never repeated, not even a bad one.
      assertMessage(s.invalid("bad", "from test").getMessage(), s.key(),
          s.secret() ? "= (hidden)" : "\"bad\"", "from test", s.accepted());
    }
  }

  @Test
  void statesAcceptedValuesPerKind() {
    assertEquals("an integer from 0 to 10", SMALL_INT.accepted());
    assertEquals("an integer from 10 to 3600000", BIG_LONG.accepted());
    assertEquals("true or false", FLAG.accepted());
    assertEquals("one of LITTLE_ENDIAN, BIG_ENDIAN", ORDER.accepted());
    assertEquals("a non-empty string", NAME.accepted());
  }

  @Test
  void parsesIntegersFromTextAndJsonNumbers() throws ConfigException {
    assertEquals(7, SMALL_INT.parse("7", "env"));
    assertEquals(7, SMALL_INT.parse(" 7 ", "env"));
    assertEquals(7, SMALL_INT.parse(7, "file"));
    assertEquals(7, SMALL_INT.parse(7L, "file"));
    assertEquals(7, SMALL_INT.parse(7.0, "file"));
    assertEquals(0, SMALL_INT.parse("0", "env"));
    assertEquals(10, SMALL_INT.parse(10, "file"));
    assertEquals(3_600_000L, BIG_LONG.parse("3600000", "env"));
    assertEquals(Long.class, BIG_LONG.parse(20, "file").getClass());
    assertEquals(Integer.class, SMALL_INT.parse(7L, "file").getClass());
  }

  @ParameterizedTest
  @CsvSource({
      "-1", "11", "abc", "7.5", "''", "7 8", "0x7", "99999999999999999999"})
  void rejectsIntegerTextThatIsNotAWholeNumberInRange(String text) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> SMALL_INT.parse(text, "from environment variable X"));

    assertMessage(e.getMessage(), "smallInt", "\"" + text + "\"",
        "from environment variable X", "an integer from 0 to 10");
  }

  @Test
  void rejectsJsonValuesThatAreNotWholeNumbersInRange() {
    for (Object raw : List.of(11, -1, 7.5, true, Double.POSITIVE_INFINITY, Double.NaN,
        Long.MAX_VALUE, List.of(7))) {
      ConfigException e = assertThrows(ConfigException.class, () -> SMALL_INT.parse(raw, "in f"),
          String.valueOf(raw));
      assertMessage(e.getMessage(), "smallInt", String.valueOf(raw), "in f");
    }
  }

  @Test
  void parsesBooleansInAnyCase() throws ConfigException {
    assertEquals(true, FLAG.parse(true, "file"));
    assertEquals(true, FLAG.parse("TRUE", "env"));
    assertEquals(false, FLAG.parse(" False ", "env"));
  }

  @Test
  void rejectsBooleanLookalikes() {
    for (Object raw : List.of("yes", "1", "on", "", 1, 0)) {
      ConfigException e = assertThrows(ConfigException.class, () -> FLAG.parse(raw, "in f"),
          String.valueOf(raw));
      assertMessage(e.getMessage(), "flag", String.valueOf(raw), "in f", "true or false");
    }
  }

  @Test
  void parsesChoicesInAnyCaseToTheCanonicalName() throws ConfigException {
    assertEquals("BIG_ENDIAN", ORDER.parse("big_endian", "env"));
    assertEquals("LITTLE_ENDIAN", ORDER.parse(" Little_Endian ", "env"));
  }

  @Test
  void rejectsUnknownChoices() {
    for (Object raw : List.of("MIDDLE_ENDIAN", "", "BIG ENDIAN", 1)) {
      ConfigException e = assertThrows(ConfigException.class, () -> ORDER.parse(raw, "in f"),
          String.valueOf(raw));
      assertMessage(e.getMessage(), "order", String.valueOf(raw), "in f",
          "one of LITTLE_ENDIAN, BIG_ENDIAN");
    }
  }

  @Test
  void parsesStringsTrimmedAndRejectsBlankOrNonText() throws ConfigException {
    assertEquals("127.0.0.1", NAME.parse(" 127.0.0.1 ", "env"));
    for (Object raw : List.of("", "   ", 5, false)) {
      ConfigException e = assertThrows(ConfigException.class, () -> NAME.parse(raw, "in f"),
          String.valueOf(raw));
      assertMessage(e.getMessage(), "name", "in f", "a non-empty string");
    }
  }

  @Test
  void messageQuotesTextButNotJsonValues() {
    assertTrue(SMALL_INT.invalid("11", "s").getMessage().contains("smallInt = \"11\" (s)"));
    assertTrue(SMALL_INT.invalid(11, "s").getMessage().contains("smallInt = 11 (s)"));
  }

  @Test
  void rejectsJsonIntegersBeyondSixtyFourBitsInsteadOfTruncatingThem() throws Exception {
    io.vertx.core.json.JsonObject json =
        new io.vertx.core.json.JsonObject("{\"port\": 18446744073709566616}");
    ConfigException e = assertThrows(ConfigException.class,
        () -> HeartbeatConfig.fromJson(json));
    assertTrue(e.getMessage().contains("port = 18446744073709566616"), e.getMessage());
  }

  @Test
  void valueWithALineBreakStillGivesAOneLineMessage() {
    String message = SMALL_INT.invalid("12\n34", "env").getMessage();
    assertFalse(message.contains("\n"), message);
    assertTrue(message.contains("\"12\\n34\""), message);
  }
}
