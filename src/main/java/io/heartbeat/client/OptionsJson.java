package io.heartbeat.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON conversion of {@link HeartbeatClientOptions} and {@link ClientTlsOptions}, in the manner
 * of the converters Vert.x generates for its data objects: one key per setter, values checked
 * by the setters, an unknown key or a wrong type refused with one line naming the key.
 */
final class OptionsJson {

  private static final String KNOWN = "servers, host, port, heartbeatIntervalMs, serverTimeoutMs,"
      + " connectTimeoutMs, reconnectInitialDelayMs, reconnectMultiplier, reconnectMaxDelayMs,"
      + " maxReconnectAttempts, shutdownJitterMs, reconnectAfterKicked, byteOrder,"
      + " maxPayloadBytes, tcpKeepAlive, tcpUserTimeoutMs, tls, clientId, requestedIntervalMs,"
      + " token, reconnectAfterReplaced, reconnectAfterUnauthorized";
  private static final String KNOWN_TLS = "trustPemPath, certPemPath, keyPemPath,"
      + " hostnameVerification, sniServerName";

  private OptionsJson() {
  }

  static void read(JsonObject json, HeartbeatClientOptions o) {
    if (json.containsKey("servers") && (json.containsKey("host") || json.containsKey("port"))) {
      throw new IllegalArgumentException("client options: give either \"servers\" or"
          + " \"host\"/\"port\", not both");
    }
    for (Map.Entry<String, Object> e : json) {
      String key = e.getKey();
      Object v = e.getValue();
      switch (key) {
        case "servers" -> o.setServers(servers(v));
        case "host" -> o.setHost(string(key, v));
        case "port" -> o.setPort((int) integer(key, v));
        case "heartbeatIntervalMs" -> o.setHeartbeatIntervalMs(integer(key, v));
        case "serverTimeoutMs" -> o.setServerTimeoutMs(integer(key, v));
        case "connectTimeoutMs" -> o.setConnectTimeoutMs(narrow(key, integer(key, v)));
        case "reconnectInitialDelayMs" -> o.setReconnectInitialDelayMs(integer(key, v));
        case "reconnectMultiplier" -> o.setReconnectMultiplier(number(key, v));
        case "reconnectMaxDelayMs" -> o.setReconnectMaxDelayMs(integer(key, v));
        case "maxReconnectAttempts" -> o.setMaxReconnectAttempts(narrow(key, integer(key, v)));
        case "shutdownJitterMs" -> o.setShutdownJitterMs(integer(key, v));
        case "reconnectAfterKicked" -> o.setReconnectAfterKicked(bool(key, v));
        case "byteOrder" -> o.setByteOrder(byteOrder(v));
        case "maxPayloadBytes" -> o.setMaxPayloadBytes(narrow(key, integer(key, v)));
        case "tcpKeepAlive" -> o.setTcpKeepAlive(bool(key, v));
        case "tcpUserTimeoutMs" -> o.setTcpUserTimeoutMs(narrow(key, integer(key, v)));
        case "tls" -> o.setTls(v == null ? null : new ClientTlsOptions(object(key, v)));
        case "clientId" -> o.setClientId(optionalString(key, v));
        case "requestedIntervalMs" -> o.setRequestedIntervalMs(narrow(key, integer(key, v)));
        case "token" -> o.setToken(optionalString(key, v));
        case "reconnectAfterReplaced" -> o.setReconnectAfterReplaced(bool(key, v));
        case "reconnectAfterUnauthorized" -> o.setReconnectAfterUnauthorized(bool(key, v));
        default -> throw new IllegalArgumentException("unknown client option \"" + key
            + "\"; known: " + KNOWN);
      }
    }
  }

  static JsonObject write(HeartbeatClientOptions o) {
    JsonArray servers = new JsonArray();
    o.getServers().forEach(s -> servers.add(s.toJson()));
    JsonObject json = new JsonObject()
        .put("servers", servers)
        .put("heartbeatIntervalMs", o.getHeartbeatIntervalMs())
        .put("serverTimeoutMs", o.getServerTimeoutMs())
        .put("connectTimeoutMs", o.getConnectTimeoutMs())
        .put("reconnectInitialDelayMs", o.getReconnectInitialDelayMs())
        .put("reconnectMultiplier", o.getReconnectMultiplier())
        .put("reconnectMaxDelayMs", o.getReconnectMaxDelayMs())
        .put("maxReconnectAttempts", o.getMaxReconnectAttempts())
        .put("shutdownJitterMs", o.getShutdownJitterMs())
        .put("reconnectAfterKicked", o.isReconnectAfterKicked())
        .put("byteOrder", o.getByteOrder().toString())
        .put("maxPayloadBytes", o.getMaxPayloadBytes())
        .put("tcpKeepAlive", o.isTcpKeepAlive())
        .put("tcpUserTimeoutMs", o.getTcpUserTimeoutMs())
        .put("requestedIntervalMs", o.getRequestedIntervalMs())
        .put("reconnectAfterReplaced", o.isReconnectAfterReplaced())
        .put("reconnectAfterUnauthorized", o.isReconnectAfterUnauthorized());
    putIfSet(json, "clientId", o.getClientId());
    putIfSet(json, "token", o.getToken());
    ClientTlsOptions tls = o.getTls();
    if (tls != null) {
      json.put("tls", tls.toJson());
    }
    return json;
  }

  static void readTls(JsonObject json, ClientTlsOptions t) {
    for (Map.Entry<String, Object> e : json) {
      String key = "tls." + e.getKey();
      Object v = e.getValue();
      switch (e.getKey()) {
        case "trustPemPath" -> t.setTrustPemPath(optionalString(key, v));
        case "certPemPath" -> t.setCertPemPath(optionalString(key, v));
        case "keyPemPath" -> t.setKeyPemPath(optionalString(key, v));
        case "hostnameVerification" -> t.setHostnameVerification(bool(key, v));
        case "sniServerName" -> t.setSniServerName(optionalString(key, v));
        default -> throw new IllegalArgumentException("unknown client option \"" + key
            + "\"; known in tls: " + KNOWN_TLS);
      }
    }
  }

  static JsonObject writeTls(ClientTlsOptions t) {
    JsonObject json = new JsonObject();
    putIfSet(json, "trustPemPath", t.getTrustPemPath());
    putIfSet(json, "certPemPath", t.getCertPemPath());
    putIfSet(json, "keyPemPath", t.getKeyPemPath());
    json.put("hostnameVerification", t.isHostnameVerification());
    putIfSet(json, "sniServerName", t.getSniServerName());
    return json;
  }

  private static void putIfSet(JsonObject json, String key, String value) {
    if (value != null) {
      json.put(key, value);
    }
  }

  private static List<ServerAddress> servers(Object v) {
    if (!(v instanceof JsonArray)) {
      throw new IllegalArgumentException("client option \"servers\" must be an array of"
          + " {\"host\", \"port\"} objects, was " + v);
    }
    List<ServerAddress> list = new ArrayList<>();
    for (Object entry : (JsonArray) v) {
      list.add(ServerAddress.fromJson(object("servers[" + list.size() + "]", entry)));
    }
    return list;
  }

  private static ByteOrder byteOrder(Object v) {
    if ("LITTLE_ENDIAN".equals(v)) {
      return ByteOrder.LITTLE_ENDIAN;
    }
    if ("BIG_ENDIAN".equals(v)) {
      return ByteOrder.BIG_ENDIAN;
    }
    throw new IllegalArgumentException("client option \"byteOrder\" must be \"LITTLE_ENDIAN\" or"
        + " \"BIG_ENDIAN\", was " + v);
  }

  private static JsonObject object(String key, Object v) {
    if (v instanceof JsonObject) {
      return (JsonObject) v;
    }
    throw wrongType(key, "an object", v);
  }

  private static String string(String key, Object v) {
    if (v instanceof String) {
      return (String) v;
    }
    throw wrongType(key, "a string", v);
  }

  private static String optionalString(String key, Object v) {
    return v == null ? null : string(key, v);
  }

  private static boolean bool(String key, Object v) {
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    throw wrongType(key, "true or false", v);
  }

  private static double number(String key, Object v) {
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    throw wrongType(key, "a number", v);
  }

  private static long integer(String key, Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Number && ((Number) v).doubleValue() == Math.rint(((Number) v).doubleValue())
        && Math.abs(((Number) v).doubleValue()) < 9.0e15) {
      return ((Number) v).longValue();
    }
    throw wrongType(key, "an integer", v);
  }

  private static int narrow(String key, long value) {
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(key + " must fit in 32 bits, was " + value);
    }
    return (int) value;
  }

  private static IllegalArgumentException wrongType(String key, String expected, Object v) {
    return new IllegalArgumentException("client option \"" + key + "\" must be " + expected
        + ", was " + (v instanceof String ? "\"" + v + "\"" : v));
  }
}
