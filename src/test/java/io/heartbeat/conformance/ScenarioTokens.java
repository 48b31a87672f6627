package io.heartbeat.conformance;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/**
 * The JWT a scenario's client presents: client key {@code "jwt"} names the kind, and the
 * harness signs it (HS256, vertx-auth-jwt) with the server's {@code auth.jwtSecret}, so a
 * scenario never carries a token that would go stale.
 */
final class ScenarioTokens {

  /** Signs the "bad-signature" kind: a key the server does not know. */
  private static final String OTHER_SECRET = "another-secret-of-thirty-two-bytes-at-least";
  private static final long VALID_FOR_SECONDS = 600;
  private static final long EXPIRED_SECONDS_AGO = 120;

  private ScenarioTokens() {
  }

  /**
   * The scenario's client options with {@code "jwt"} turned into {@code "token"}: "valid" (sub
   * = clientId, not expired), "bad-signature", "expired", "wrong-sub". Without "jwt" the options
   * are returned as they are.
   */
  static JsonObject clientOptions(Vertx vertx, JsonObject scenario) {
    JsonObject client = scenario.getJsonObject("client", new JsonObject()).copy();
    String kind = (String) client.remove("jwt");
    if (kind == null) {
      return client;
    }
    String secret = scenario.getJsonObject("server", new JsonObject()).getString("auth.jwtSecret");
    String clientId = client.getString("clientId");
    if (secret == null || clientId == null) {
      throw new IllegalArgumentException("client \"jwt\" needs server \"auth.jwtSecret\" and"
          + " client \"clientId\"");
    }
    return client.put("token", token(vertx, kind, secret, clientId));
  }

  /** A token of {@code kind} for {@code clientId}, checked by a server holding {@code secret}. */
  static String token(Vertx vertx, String kind, String secret, String clientId) {
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims = new JsonObject().put("sub", clientId).put("exp", now + VALID_FOR_SECONDS);
    return switch (kind) {
      case "valid" -> sign(vertx, secret, claims);
      case "bad-signature" -> sign(vertx, OTHER_SECRET, claims);
      case "expired" -> sign(vertx, secret, claims.put("exp", now - EXPIRED_SECONDS_AGO));
      case "wrong-sub" -> sign(vertx, secret, claims.put("sub", clientId + "-other"));
      default -> throw new IllegalArgumentException("unknown jwt kind \"" + kind
          + "\" (valid, bad-signature, expired, wrong-sub)");
    };
  }

  private static String sign(Vertx vertx, String secret, JsonObject claims) {
    JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(
        new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    return auth.generateToken(claims, new JWTOptions().setAlgorithm("HS256"));
  }
}
