package io.heartbeat.config;

import static io.heartbeat.config.ConfigLayersTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The session and credential settings (protocol 1.1): defaults, the effective minimum interval,
 * the dotted keys through each source, the cross-key rules, and a secret that never shows.
 */
class SessionSettingsTest {

  private static final String SECRET = "hs256-Secret-that-must-never-show";

  @Test
  void defaultsAreTheDocumentedOnes() {
    HeartbeatConfig config = HeartbeatConfig.defaults();

    assertEquals(config.tickMs(), config.sessionMinIntervalMs(), "0 means tickMs");
    assertEquals(1_800_000, config.sessionMaxIntervalMs());
    assertFalse(config.sessionRequired());
    assertEquals(15, config.sessionFlapMaxConnects());
    assertEquals(60_000, config.sessionFlapWindowMs());
    assertEquals(300_000, config.sessionFlapBanMs());
    assertFalse(config.authJwt());
    assertNull(config.authJwtSecret());
    assertNull(config.authJwtPublicKeyPath());
    assertEquals(4096, config.authMaxTokenBytes());
  }

  @Test
  void minimumIntervalZeroFollowsTheTickAndAnExplicitOneIsKept() throws Exception {
    assertEquals(500, load(new JsonObject().put("tickMs", 500)).sessionMinIntervalMs());
    assertEquals(2000, load(new JsonObject().put("session.minIntervalMs", 2000))
        .sessionMinIntervalMs());
  }

  @Test
  void dottedKeysComeFromFileEnvironmentAndProperty() throws Exception {
    assertEquals("HEARTBEAT_SESSION_MIN_INTERVAL_MS", Settings.SESSION_MIN_INTERVAL_MS.envName());
    assertEquals("HEARTBEAT_AUTH_JWT_PUBLIC_KEY_PATH",
        Settings.AUTH_JWT_PUBLIC_KEY_PATH.envName());
    assertEquals("heartbeat.session.flapBanMs", Settings.SESSION_FLAP_BAN_MS.propertyName());

    HeartbeatConfig nested = validate(new JsonObject().put(ConfigLayers.FILE_CONTENT,
        "{\"session\": {\"minIntervalMs\": 1200}, \"auth.maxTokenBytes\": 100}"));
    HeartbeatConfig fromEnv = validate(new JsonObject()
        .put("HEARTBEAT_SESSION_MIN_INTERVAL_MS", "1300").put("HEARTBEAT_AUTH_MODE", "jwt")
        .put("HEARTBEAT_AUTH_JWT_SECRET", SECRET));
    HeartbeatConfig fromProperty = validate(new JsonObject()
        .put("heartbeat.session.minIntervalMs", "1400")
        .put("heartbeat.session.required", "true"));

    assertEquals(1200, nested.sessionMinIntervalMs());
    assertEquals(100, nested.authMaxTokenBytes());
    assertEquals(1300, fromEnv.sessionMinIntervalMs());
    assertTrue(fromEnv.authJwt());
    assertEquals(SECRET, fromEnv.authJwtSecret());
    assertEquals(1400, fromProperty.sessionMinIntervalMs());
    assertTrue(fromProperty.sessionRequired());
  }

  @Test
  void rejectsAMinimumAboveTheMaximumInOneLine() {
    String explicit = failure(new JsonObject().put("session.minIntervalMs", 5000)
        .put("session.maxIntervalMs", 4000));
    String fromTick = failure(new JsonObject().put("tickMs", 5000)
        .put("session.maxIntervalMs", 4000));

    assertMessage(explicit, "session.minIntervalMs (5000)", "session.maxIntervalMs (4000)");
    assertMessage(fromTick, "0, meaning tickMs = 5000", "session.maxIntervalMs (4000)",
        "lower tickMs");
  }

  @Test
  void jwtModeNeedsExactlyOneKey() throws Exception {
    JsonObject jwt = new JsonObject().put("auth.mode", "jwt");

    assertMessage(failure(jwt), "auth.mode JWT", "auth.jwtSecret", "auth.jwtPublicKeyPath",
        "neither is set");
    String both = failure(jwt.copy().put("auth.jwtSecret", SECRET)
        .put("auth.jwtPublicKeyPath", "conf/jwt.pem"));
    assertMessage(both, "both are set");
    assertFalse(both.contains(SECRET), both);
    assertEquals("conf/jwt.pem", load(jwt.copy().put("auth.jwtPublicKeyPath", "conf/jwt.pem"))
        .authJwtPublicKeyPath());
    assertTrue(load(jwt.copy().put("auth.jwtSecret", SECRET)).authJwt());
  }

  @Test
  void theSecretNeverShowsInToStringOrAnErrorMessage() throws Exception {
    HeartbeatConfig config = load(new JsonObject().put("auth.mode", "JWT")
        .put("auth.jwtSecret", SECRET).put("admin.token", "admin-" + SECRET));

    assertFalse(config.toString().contains(SECRET), config.toString());
    assertTrue(config.toString().contains("\"auth.jwtSecret\":\"(hidden)\""), config.toString());
    assertTrue(HeartbeatConfig.defaults().toString().contains("\"auth.jwtSecret\":\"(empty)\""));
    assertEquals(SECRET, config.toJson().getString("auth.jwtSecret"),
        "the JSON handed to verticles still carries it");
    // A secret of the wrong JSON type is reported without its value.
    String wrongType = failure(new JsonObject().put("auth.jwtSecret", new io.vertx.core.json.JsonArray()
        .add(SECRET)));
    assertFalse(wrongType.contains(SECRET), wrongType);
    assertMessage(wrongType, "auth.jwtSecret = (hidden)");
    assertEquals("(hidden)", Settings.AUTH_JWT_SECRET.shown(SECRET));
    assertEquals("42", Settings.AUTH_MAX_TOKEN_BYTES.shown(42));
  }

  @Test
  void sessionAndAuthSettingsNeedARestart() {
    for (Setting s : Settings.all()) {
      if (s.key().startsWith("session.") || s.key().startsWith("auth.")) {
        assertFalse(s.reloadable(), s.key());
      }
    }
  }

  private static HeartbeatConfig load(JsonObject file) throws ConfigException {
    return validate(new JsonObject().put(ConfigLayers.FILE_CONTENT, file.encode()));
  }

  private static HeartbeatConfig validate(JsonObject stores) throws ConfigException {
    return ConfigLayers.validate(stores, "conf/test.json", new JsonObject());
  }

  private static String failure(JsonObject file) {
    return assertThrows(ConfigException.class, () -> load(file)).getMessage();
  }
}
