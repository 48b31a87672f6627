package io.heartbeat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The layers (defaults, file, environment, system properties, command line) of one reading of
 * the config stores, and the error messages. No Vert.x and no file system: the input is the JSON
 * the stores of {@link ConfigSources} produce (file text under {@link ConfigLayers#FILE_CONTENT},
 * environment variables and every JVM property as strings); the real environment and
 * properties are never read or changed.
 */
class ConfigLayersTest {

  /** The file name the messages show. */
  private static final String FILE = "conf/test-config.json";
  /** What the sys store always adds: every other JVM property. */
  private static final Map<String, String> OTHER_PROPERTIES = Map.of("java.version", "17.0.9",
      "java.home", "/opt/jdk", "heartbeat", "x", "user.dir", "/srv", "tickMs", "nope");

  private final Map<String, String> env = new HashMap<>();
  private final Properties properties = new Properties();
  private final JsonObject commandLine = new JsonObject();

  @Test
  void missingOptionalFileGivesTheDocumentedDefaults() throws ConfigException {
    HeartbeatConfig config = load(null);

    assertEquals(15000, config.port());
    assertEquals("0.0.0.0", config.host());
    assertEquals(3000, config.tickMs());
    assertEquals(5, config.maxMissed());
    assertEquals(ByteOrder.LITTLE_ENDIAN, config.byteOrder());
    assertEquals(65536, config.maxPayloadBytes());
    assertTrue(config.ackHeartbeats(), "ack on");
    assertTrue(config.dataCountsAsActivity(), "DATA counts as activity");
    assertFalse(config.probeEnabled(), "probing off");
    assertTrue(config.detectionEnabled(), "detection on");
    assertFalse(config.logHeartbeats(), "heartbeat logging off");
    assertFalse(config.tcpKeepAlive(), "TCP keepalive off");
    assertEquals(15_000, config.windowMs());
    assertEquals(HeartbeatConfig.defaults(), config);
  }

  @Test
  void emptyFileGivesTheDefaults() throws Exception {
    assertEquals(HeartbeatConfig.defaults(), load(""));
    assertEquals(HeartbeatConfig.defaults(), load("{}"));
    assertEquals(HeartbeatConfig.defaults(), load(" \n"));
  }

  @ParameterizedTest(name = "file {0}, env {1}, property {2} -> {3}")
  @CsvSource({
      "false, false, false, 3000",
      "true,  false, false, 1000",
      "true,  true,  false, 2000",
      "false, true,  false, 2000",
      "true,  false, true,  4000",
      "false, true,  true,  4000",
      "true,  true,  true,  4000"})
  void propertyBeatsEnvironmentBeatsFileBeatsDefault(boolean inFile, boolean inEnv,
      boolean inProperty, long expectedTickMs) throws Exception {
    String file = inFile ? "{\"tickMs\": 1000}" : "{}";
    if (inEnv) {
      env.put("HEARTBEAT_TICK_MS", "2000");
    }
    if (inProperty) {
      properties.setProperty("heartbeat.tickMs", "4000");
    }

    assertEquals(expectedTickMs, load(file).tickMs());
  }

  @Test
  void layersApplyPerKey() throws Exception {
    String file = "{\"port\": 16000, \"maxMissed\": 7, \"tickMs\": 1000}";
    env.put("HEARTBEAT_MAX_MISSED", "8");
    env.put("HEARTBEAT_TICK_MS", "2000");
    properties.setProperty("heartbeat.tickMs", "4000");

    HeartbeatConfig config = load(file);

    assertEquals(16000, config.port());
    assertEquals(8, config.maxMissed());
    assertEquals(4000, config.tickMs());
    assertEquals("0.0.0.0", config.host());
  }

  @Test
  void readsTheDocumentedEnvironmentNames() throws Exception {
    env.put("HEARTBEAT_TICK_MS", "250");
    env.put("HEARTBEAT_MAX_MISSED", "3");
    env.put("HEARTBEAT_PORT", "0");

    HeartbeatConfig config = load(null);

    assertEquals(250, config.tickMs());
    assertEquals(3, config.maxMissed());
    assertEquals(0, config.port());
  }

  @Test
  void readsTheDocumentedSystemPropertyName() throws Exception {
    properties.setProperty("heartbeat.tickMs", "125");

    assertEquals(125, load(null).tickMs());
  }

  @Test
  void everySettingCanBeSetFromEachSource() throws Exception {
    for (Setting s : Settings.all()) {
      Object value = nonDefault(s);
      String text = String.valueOf(value);
      // tls.enabled is only valid with both PEM paths, auth.mode JWT with a key; give them from
      // the same source.
      Map<Setting, String> companions = companions(s);

      JsonObject json = new JsonObject().put(s.key(), value);
      companions.forEach((c, v) -> json.put(c.key(), v));
      HeartbeatConfig fromFile = load(json.encode());
      env.put(s.envName(), text);
      companions.forEach((c, v) -> env.put(c.envName(), v));
      HeartbeatConfig fromEnv = load(null);
      env.clear();
      properties.setProperty(s.propertyName(), text);
      companions.forEach((c, v) -> properties.setProperty(c.propertyName(), v));
      HeartbeatConfig fromProperty = load(null);
      properties.clear();
      commandLine.put(s.key(), value);
      companions.forEach((c, v) -> commandLine.put(c.key(), v));
      HeartbeatConfig fromCommandLine = load(null);
      commandLine.clear();

      assertEquals(value, fromFile.value(s), s.key() + " from the file");
      assertEquals(value, fromEnv.value(s), s.key() + " from " + s.envName());
      assertEquals(value, fromProperty.value(s), s.key() + " from " + s.propertyName());
      assertEquals(value, fromCommandLine.value(s), s.key() + " from the command line");
    }
  }

  @Test
  void ignoresEnvironmentVariablesThatNameNoSetting() throws Exception {
    env.put("HEARTBEAT_NO_SUCH_SETTING", "whatever");
    env.put("PORT", "1");
    properties.setProperty("heartbeat.noSuchSetting", "x");

    assertEquals(HeartbeatConfig.defaults(), load(null));
  }

  @Test
  void ignoresEveryOtherJvmProperty() throws Exception {
    // The sys store dumps all of them; a property named like a key but without the prefix
    // ("tickMs") or a bare "heartbeat" is not ours.
    assertEquals(HeartbeatConfig.defaults(), load("{}"));
  }

  @Test
  void commandLineBeatsEveryStore() throws Exception {
    env.put("HEARTBEAT_CLUSTER_ENABLED", "false");
    properties.setProperty("heartbeat.cluster.enabled", "false");
    commandLine.put("cluster.enabled", true);

    assertTrue(load("{\"cluster\": {\"enabled\": false}}").clusterEnabled());
  }

  @Test
  void readsNestedAndDottedKeysFromTheFile() throws Exception {
    HeartbeatConfig config = load("{\"admin\": {\"port\": 1234}, \"tls.handshakeTimeoutMs\": 500}");

    assertEquals(1234, config.adminPort());
    assertEquals(500, config.tlsHandshakeTimeoutMs());
  }

  @Test
  void rejectsNonNumberInFile() throws Exception {
    String file = "{\"port\": \"abc\"}";

    String message = failure(file);

    assertMessage(message, "port", "\"abc\"", "in " + FILE, "an integer from 0 to 65535");
  }

  @Test
  void rejectsFractionInFile() throws Exception {
    String file = "{\"maxMissed\": 1.5}";

    assertMessage(failure(file), "maxMissed", "1.5", "in " + FILE, "an integer from 1 to 10000");
  }

  @Test
  void rejectsOutOfRangeNumberInFile() throws Exception {
    String file = "{\"port\": 70000}";

    assertMessage(failure(file), "port", "70000", "in " + FILE, "an integer from 0 to 65535");
  }

  @Test
  void rejectsBadBooleanInFile() throws Exception {
    String file = "{\"ackHeartbeats\": \"yes\"}";

    assertMessage(failure(file), "ackHeartbeats", "\"yes\"", "in " + FILE, "true or false");
  }

  @Test
  void rejectsBadByteOrderInFile() throws Exception {
    String file = "{\"byteOrder\": \"MIDDLE_ENDIAN\"}";

    assertMessage(failure(file), "byteOrder", "\"MIDDLE_ENDIAN\"", "in " + FILE,
        "one of LITTLE_ENDIAN, BIG_ENDIAN");
  }

  @Test
  void rejectsNonNumberInEnvironment() throws Exception {
    env.put("HEARTBEAT_PORT", "abc");

    assertMessage(failureWithoutFile(), "port", "\"abc\"",
        "environment variable HEARTBEAT_PORT", "an integer from 0 to 65535");
  }

  @Test
  void rejectsOutOfRangeNumberInEnvironment() throws Exception {
    env.put("HEARTBEAT_MAX_MISSED", "0");

    assertMessage(failureWithoutFile(), "maxMissed", "\"0\"",
        "environment variable HEARTBEAT_MAX_MISSED", "an integer from 1 to 10000");
  }

  @Test
  void rejectsBadBooleanInEnvironment() throws Exception {
    env.put("HEARTBEAT_PROBE_ENABLED", "maybe");

    assertMessage(failureWithoutFile(), "probeEnabled", "\"maybe\"",
        "environment variable HEARTBEAT_PROBE_ENABLED", "true or false");
  }

  @Test
  void rejectsBadByteOrderInEnvironment() throws Exception {
    env.put("HEARTBEAT_BYTE_ORDER", "network");

    assertMessage(failureWithoutFile(), "byteOrder", "\"network\"",
        "environment variable HEARTBEAT_BYTE_ORDER", "one of LITTLE_ENDIAN, BIG_ENDIAN");
  }

  @Test
  void rejectsNonNumberInSystemProperty() throws Exception {
    properties.setProperty("heartbeat.tickMs", "fast");

    assertMessage(failureWithoutFile(), "tickMs", "\"fast\"",
        "system property -Dheartbeat.tickMs", "an integer from 10 to 3600000");
  }

  @Test
  void rejectsOutOfRangeNumberInSystemProperty() throws Exception {
    properties.setProperty("heartbeat.maxPayloadBytes", "-1");

    assertMessage(failureWithoutFile(), "maxPayloadBytes", "\"-1\"",
        "system property -Dheartbeat.maxPayloadBytes", "an integer from 0 to 16777216");
  }

  @Test
  void rejectsBadBooleanInSystemProperty() throws Exception {
    properties.setProperty("heartbeat.detectionEnabled", "1");

    assertMessage(failureWithoutFile(), "detectionEnabled", "\"1\"",
        "system property -Dheartbeat.detectionEnabled", "true or false");
  }

  @Test
  void rejectsBadByteOrderInSystemProperty() throws Exception {
    properties.setProperty("heartbeat.byteOrder", "");

    assertMessage(failureWithoutFile(), "byteOrder", "\"\"",
        "system property -Dheartbeat.byteOrder", "one of LITTLE_ENDIAN, BIG_ENDIAN");
  }

  @Test
  void badOverrideFailsEvenWhenAHigherLayerWouldReplaceIt() throws Exception {
    // A typo in a lower layer is still a typo: it must not hide behind a valid override.
    env.put("HEARTBEAT_PORT", "abc");
    properties.setProperty("heartbeat.port", "16000");

    assertMessage(failureWithoutFile(), "port", "\"abc\"",
        "environment variable HEARTBEAT_PORT", "an integer from 0 to 65535");
  }

  @Test
  void rejectsUnknownKeyInFile() throws Exception {
    String file = "{\"tickMS\": 1000}";

    String message = failure(file);

    // Names the key, the file, and what is accepted: the list of known keys.
    assertMessage(message, "\"tickMS\"", FILE, "known settings:", "tickMs");
    for (Setting s : Settings.all()) {
      assertTrue(message.contains(s.key()), "lists " + s.key() + ": " + message);
    }
  }

  @Test
  void rejectsInvalidJson() throws Exception {
    String file = "{\"port\": 15000,\n \"tickMs\": }";

    assertMessage(failure(file), FILE, "not a valid JSON object");
  }

  @Test
  void rejectsJsonThatIsNotAnObject() throws Exception {
    String file = "[15000]";

    assertMessage(failure(file), FILE, "not a valid JSON object");
  }



  @Test
  void rejectsProbeAfterMissedNotBelowMaxMissedWhenProbing() throws Exception {
    String file = "{\"probeEnabled\": true, \"probeAfterMissed\": 5, \"maxMissed\": 5}";

    // Names both keys, the value, and the rule; see the branch report about naming the source.
    assertMessage(failure(file), "probeAfterMissed = 5", "maxMissed (5)", "probeEnabled",
        "must be below");
  }

  @Test
  void acceptsProbeAfterMissedNotBelowMaxMissedWhenNotProbing() throws Exception {
    String file = "{\"probeEnabled\": false, \"probeAfterMissed\": 5, \"maxMissed\": 5}";

    assertEquals(5, load(file).probeAfterMissed());
  }

  @Test
  void crossRuleSeesValuesFromEveryLayer() throws Exception {
    String file = "{\"probeAfterMissed\": 4}";
    env.put("HEARTBEAT_PROBE_ENABLED", "true");
    properties.setProperty("heartbeat.maxMissed", "4");

    assertMessage(failure(file), "probeAfterMissed = 4", "maxMissed (4)", "must be below");
  }

  @Test
  void rejectsWindowLongerThanAnIntOfMilliseconds() throws Exception {
    String file = "{\"tickMs\": 3600000, \"maxMissed\": 10000}";

    assertMessage(failure(file), "tickMs = 3600000", "maxMissed = 10000", "must stay below");
  }


  /** The other settings a non-default value of {@code s} needs to pass the cross-key rules. */
  private static Map<Setting, String> companions(Setting s) {
    if (s == Settings.TLS_ENABLED) {
      return Map.of(Settings.TLS_CERT_PATH, "c.pem", Settings.TLS_KEY_PATH, "k.pem");
    }
    if (s == Settings.AUTH_MODE) {
      return Map.of(Settings.AUTH_JWT_SECRET, "s3cret-for-hs256");
    }
    return Map.of();
  }

  /** A valid value other than the default, in the setting's canonical type. */
  private static Object nonDefault(Setting s) {
    Object def = s.defaultValue();
    switch (s.kind()) {
      case INT:
        return (Integer) def + 1;
      case LONG:
        // Below tickMs, an explicit first-frame timeout is rejected.
        return s == Settings.FIRST_FRAME_TIMEOUT_MS ? (Long) Settings.TICK_MS.defaultValue()
            : (Long) def + 1;
      case BOOLEAN:
        return !(Boolean) def;
      case CHOICE:
        return s.choices().stream().filter(c -> !c.equals(def)).findFirst().orElseThrow();
      default:
        return "127.0.0.1";
    }
  }

  /**
   * Validates what the stores would hand over: the file's text ({@code null}: no file), the
   * environment variables, and the properties among every other JVM property.
   */
  private HeartbeatConfig load(String fileContent) throws ConfigException {
    JsonObject stores = new JsonObject();
    if (fileContent != null) {
      stores.put(ConfigLayers.FILE_CONTENT, fileContent);
    }
    env.forEach(stores::put);
    OTHER_PROPERTIES.forEach(stores::put);
    properties.stringPropertyNames().forEach(k -> stores.put(k, properties.getProperty(k)));
    return ConfigLayers.validate(stores, FILE, commandLine);
  }

  /** The message of validating a reading with this file content. */
  private String failure(String fileContent) {
    return assertThrows(ConfigException.class, () -> load(fileContent)).getMessage();
  }

  /** The message of a reading without a config file, from environment and properties alone. */
  private String failureWithoutFile() {
    return failure(null);
  }

  /** One line, and every expected part present. */
  static void assertMessage(String message, String... parts) {
    assertFalse(message.contains("\n") || message.contains("\r"), "not one line: " + message);
    for (String part : parts) {
      assertTrue(message.contains(part), "missing \"" + part + "\" in: " + message);
    }
  }
}
