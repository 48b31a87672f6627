package io.heartbeat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeartbeatClientOptionsTest {

  @Test
  void defaultsAreValid() {
    HeartbeatClientOptions options = new HeartbeatClientOptions().validate();
    assertEquals(HeartbeatClientOptions.DEFAULT_HEARTBEAT_INTERVAL_MS,
        options.getHeartbeatIntervalMs());
    assertEquals(HeartbeatClientOptions.DEFAULT_SERVER_TIMEOUT_MS, options.getServerTimeoutMs());
    assertEquals(ByteOrder.LITTLE_ENDIAN, options.getByteOrder());
  }

  @Test
  void rejectsOutOfRangeValuesNamingTheOptionAndValue() {
    HeartbeatClientOptions options = new HeartbeatClientOptions();
    assertMessage(() -> options.setPort(0), "port", "0");
    assertMessage(() -> options.setPort(65536), "port", "65536");
    assertMessage(() -> options.setHeartbeatIntervalMs(-1), "heartbeatIntervalMs", "-1");
    assertMessage(() -> options.setServerTimeoutMs(-5), "serverTimeoutMs", "-5");
    assertMessage(() -> options.setConnectTimeoutMs(0), "connectTimeoutMs", "0");
    assertMessage(() -> options.setReconnectMultiplier(0.5), "reconnectMultiplier", "0.5");
    assertMessage(() -> options.setReconnectInitialDelayMs(-1), "reconnectInitialDelayMs", "-1");
    assertMessage(() -> options.setMaxReconnectAttempts(-1), "maxReconnectAttempts", "-1");
    assertMessage(() -> options.setShutdownJitterMs(-1), "shutdownJitterMs", "-1");
    assertMessage(() -> options.setMaxPayloadBytes(-1), "maxPayloadBytes", "-1");
    assertMessage(() -> options.setHost(" "), "host", " ");
    assertMessage(() -> options.setByteOrder(null), "byteOrder", "null");
  }

  @Test
  void zeroDisablesHeartbeatsAndTheServerTimeout() {
    new HeartbeatClientOptions().setHeartbeatIntervalMs(0).setServerTimeoutMs(0).validate();
    new HeartbeatClientOptions().setHeartbeatIntervalMs(0).setServerTimeoutMs(10).validate();
  }

  @Test
  void rejectsServerTimeoutNotAboveTheHeartbeatInterval() {
    HeartbeatClientOptions options = new HeartbeatClientOptions()
        .setHeartbeatIntervalMs(1000).setServerTimeoutMs(1000);
    assertMessage(options::validate, "serverTimeoutMs (1000)", "heartbeatIntervalMs (1000)");
  }

  @Test
  void rejectsMaxDelayBelowInitialDelay() {
    HeartbeatClientOptions options = new HeartbeatClientOptions()
        .setReconnectInitialDelayMs(500).setReconnectMaxDelayMs(100);
    assertMessage(options::validate, "reconnectMaxDelayMs (100)", "reconnectInitialDelayMs (500)");
  }

  @Test
  void copyIsIndependentOfTheOriginal() {
    HeartbeatClientOptions original = new HeartbeatClientOptions().setPort(1234);
    HeartbeatClientOptions copy = new HeartbeatClientOptions(original);
    original.setPort(4321);
    assertEquals(1234, copy.getPort());
  }

  /** Every option away from its default, so a field the JSON forgets cannot go unnoticed. */
  private static HeartbeatClientOptions everyOptionChanged(Path pem) {
    return new HeartbeatClientOptions()
        .setServers(List.of(new ServerAddress("a.example", 1), new ServerAddress("::1", 2)))
        .setHeartbeatIntervalMs(1234).setServerTimeoutMs(5678).setConnectTimeoutMs(99)
        .setReconnectInitialDelayMs(7).setReconnectMultiplier(1.5).setReconnectMaxDelayMs(70)
        .setMaxReconnectAttempts(4).setShutdownJitterMs(11).setReconnectAfterKicked(true)
        .setByteOrder(ByteOrder.BIG_ENDIAN).setMaxPayloadBytes(512).setTcpKeepAlive(true)
        .setTcpUserTimeoutMs(2500).setClientId("dev-1").setRequestedIntervalMs(600)
        .setToken("a.b.c").setReconnectAfterReplaced(true).setReconnectAfterUnauthorized(true)
        .setTls(new ClientTlsOptions().setTrustPemPath(pem.toString())
            .setCertPemPath(pem.toString()).setKeyPemPath(pem.toString())
            .setHostnameVerification(false).setSniServerName("sni.example"));
  }

  @Test
  void jsonRoundTripKeepsEveryOption(@TempDir Path dir) throws IOException {
    Path pem = Files.writeString(dir.resolve("x.pem"), "not read here");
    HeartbeatClientOptions original = everyOptionChanged(pem);
    JsonObject json = original.toJson();
    HeartbeatClientOptions back = new HeartbeatClientOptions(json);
    assertEquals(original, back);
    assertEquals(json, back.toJson());
    assertEquals(json, new HeartbeatClientOptions(new JsonObject(json.encode())).toJson(),
        "after a trip through text");
    assertEquals(new HeartbeatClientOptions().toJson(), new HeartbeatClientOptions(
        new JsonObject()).toJson(), "an empty object is every default");
    JsonObject defaults = new HeartbeatClientOptions().toJson();
    for (String key : json.fieldNames()) {
      assertTrue(!json.getValue(key).equals(defaults.getValue(key)), "not changed: " + key);
    }
    assertEquals(2, back.getServers().size());
    assertEquals(ByteOrder.BIG_ENDIAN, back.getByteOrder());
    assertEquals("sni.example", back.getTls().getSniServerName());
  }

  @Test
  void copyConstructorCopiesEveryOption(@TempDir Path dir) throws IOException {
    Path pem = Files.writeString(dir.resolve("x.pem"), "not read here");
    HeartbeatClientOptions original = everyOptionChanged(pem);
    HeartbeatClientOptions copy = new HeartbeatClientOptions(original);
    assertEquals(original.toJson(), copy.toJson());
    original.getTls().setSniServerName("changed.example");
    assertEquals("sni.example", copy.getTls().getSniServerName(), "TLS options shared");
  }

  @Test
  void jsonRefusesUnknownKeysAndWrongTypesNamingTheKey() {
    assertMessage(() -> new HeartbeatClientOptions(new JsonObject().put("serverTimeout", 5)),
        "unknown client option \"serverTimeout\"", "serverTimeoutMs");
    assertMessage(() -> new HeartbeatClientOptions(new JsonObject().put("serverTimeoutMs", "5")),
        "serverTimeoutMs", "an integer", "\"5\"");
    assertMessage(() -> new HeartbeatClientOptions(new JsonObject().put("serverTimeoutMs", 1.5)),
        "serverTimeoutMs", "an integer");
    assertMessage(() -> new HeartbeatClientOptions(new JsonObject().put("serverTimeoutMs", -1)),
        "serverTimeoutMs must be in", "-1");
    assertMessage(() -> new HeartbeatClientOptions(new JsonObject().put("tcpKeepAlive", "yes")),
        "tcpKeepAlive", "true or false");
    assertMessage(() -> new HeartbeatClientOptions(new JsonObject().put("byteOrder", "MIDDLE")),
        "byteOrder", "MIDDLE");
    assertMessage(() -> new HeartbeatClientOptions(new JsonObject()
        .put("tls", new JsonObject().put("trustPath", "x"))), "tls.trustPath", "trustPemPath");
    assertMessage(() -> new HeartbeatClientOptions(new JsonObject()
        .put("servers", new JsonArray().add(new JsonObject().put("host", "h")))),
        "server port", "null");
    assertMessage(() -> new HeartbeatClientOptions(new JsonObject()
        .put("servers", new JsonArray()).put("port", 5)), "servers", "host", "not both");
    assertMessage(() -> new HeartbeatClientOptions(new JsonObject()
        .put("servers", new JsonArray())), "servers must hold 1..256", "[]");
  }

  @Test
  void jsonReadsTheLegacyHostAndPortKeys() {
    HeartbeatClientOptions options = new HeartbeatClientOptions(new JsonObject()
        .put("host", "h.example").put("port", 4000));
    assertEquals(List.of(new ServerAddress("h.example", 4000)), options.getServers());
  }

  @Test
  void hostAndPortChangeOnlyTheFirstServer() {
    HeartbeatClientOptions options = new HeartbeatClientOptions().setServers(List.of(
        new ServerAddress("a", 1), new ServerAddress("b", 2))).setHost("c").setPort(3);
    assertEquals(List.of(new ServerAddress("c", 3), new ServerAddress("b", 2)),
        options.getServers());
    assertEquals("c", options.getHost());
    assertEquals(3, options.getPort());
  }

  @Test
  void tlsNeedsTheKeyWithTheCertificateAndReadableFiles(@TempDir Path dir) throws IOException {
    Path pem = Files.writeString(dir.resolve("x.pem"), "not read here");
    assertMessage(() -> new HeartbeatClientOptions().setTls(new ClientTlsOptions()
        .setCertPemPath(pem.toString())).validate(), "tls.certPemPath", "tls.keyPemPath",
        "together");
    String missing = dir.resolve("missing.pem").toString();
    assertMessage(() -> new HeartbeatClientOptions().setTls(new ClientTlsOptions()
        .setTrustPemPath(missing)).validate(), "tls.trustPemPath", missing);
    assertMessage(() -> new ClientTlsOptions().setSniServerName("10.0.0.1:99"),
        "tls.sniServerName", "10.0.0.1:99");
    assertMessage(() -> new ServerAddress("h", 70000), "port", "70000");
  }

  @Test
  void sessionFieldsDefaultToAVersionOneClient() {
    HeartbeatClientOptions options = new HeartbeatClientOptions();
    assertEquals(null, options.getClientId());
    assertEquals(0, options.getRequestedIntervalMs());
    assertEquals(null, options.getToken());
    assertEquals(false, options.isReconnectAfterReplaced());
    assertEquals(false, options.isReconnectAfterUnauthorized());
    assertEquals(false, options.toJson().containsKey("clientId"));
    assertEquals(null, new HeartbeatClientOptions().setToken("").getToken(), "empty is none");
  }

  @Test
  void acceptsClientIdsUpTo128BytesOfUtf8() {
    String longest = "\u00e9".repeat(64);  // 128 bytes
    assertEquals(longest, new HeartbeatClientOptions().setClientId(longest).getClientId());
    assertEquals("\ud83d\ude00", new HeartbeatClientOptions().setClientId("\ud83d\ude00")
        .getClientId(), "a pair of surrogates is one character");
  }

  @Test
  void rejectsBadSessionFieldsNamingTheRule() {
    HeartbeatClientOptions options = new HeartbeatClientOptions();
    assertMessage(() -> options.setClientId(""), "clientId", "1..128", "was 0 bytes");
    assertMessage(() -> options.setClientId("\u00e9".repeat(64) + "x"), "clientId",
        "was 129 bytes");
    assertMessage(() -> options.setClientId("a\nb"), "clientId", "control", "U+000A", "index 1");
    assertMessage(() -> options.setClientId("a\u007f"), "clientId", "U+007F");
    assertMessage(() -> options.setClientId("a\ud800"), "clientId", "lone surrogate");
    assertMessage(() -> options.setRequestedIntervalMs(-1), "requestedIntervalMs", "-1");
    assertMessage(() -> options.setToken("a b"), "token", "visible ASCII", "0x20", "index 1");
    assertMessage(() -> options.setToken("\u00e9"), "token", "non-ASCII");
    assertMessage(() -> options.setToken("x".repeat(65_536)), "token", "65535", "65536");
    new HeartbeatClientOptions().setToken("x".repeat(65_535));
  }

  @Test
  void badTokenMessagesDoNotShowTheToken() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new HeartbeatClientOptions().setToken("secretpart\u0001"));
    assertTrue(!e.getMessage().contains("secretpart"), e.getMessage());
  }

  @Test
  void rejectsATokenWithoutAClientId() {
    assertMessage(new HeartbeatClientOptions().setToken("t")::validate, "token", "clientId");
    new HeartbeatClientOptions().setToken("t").setClientId("c").validate();
  }

  @Test
  void aSessionsServerTimeoutIsNotTiedToTheUnusedHeartbeatIntervalOption() {
    // With a client id the granted interval is used, and serverTimeoutMs bounds only the wait
    // for WELCOME: 1000 ms beside an unused 3000 ms interval option is valid.
    new HeartbeatClientOptions().setClientId("c").setHeartbeatIntervalMs(3000)
        .setServerTimeoutMs(1000).validate();
    assertThrows(IllegalArgumentException.class, () -> new HeartbeatClientOptions()
        .setHeartbeatIntervalMs(3000).setServerTimeoutMs(1000).validate());
  }

  @Test
  void jsonReadsTheSessionFieldsAndRefusesWrongTypes() {
    HeartbeatClientOptions options = new HeartbeatClientOptions(new JsonObject()
        .put("clientId", "d").put("requestedIntervalMs", 900).put("token", "t")
        .put("reconnectAfterReplaced", true));
    assertEquals("d", options.getClientId());
    assertEquals(900, options.getRequestedIntervalMs());
    assertEquals("t", options.getToken());
    assertTrue(options.isReconnectAfterReplaced());
    assertMessage(() -> new HeartbeatClientOptions(new JsonObject().put("clientId", 5)),
        "clientId", "a string");
    assertMessage(() -> new HeartbeatClientOptions(new JsonObject().put("clientID", "x")),
        "unknown client option \"clientID\"", "clientId");
    assertMessage(() -> new HeartbeatClientOptions(new JsonObject()
        .put("requestedIntervalMs", 1L << 33)), "requestedIntervalMs", "32 bits");
  }

  private static void assertMessage(Runnable call, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), () -> "\"" + e.getMessage() + "\" lacks " + part);
    }
  }
}
