package io.heartbeat.session;

import io.heartbeat.session.TokenVerifier.Reason;
import io.heartbeat.session.TokenVerifier.Refusal;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.util.Base64;
import java.util.function.LongSupplier;

/**
 * One synchronous check of a compact JWT against one key, classifying every refusal. Blocking
 * (public-key cryptography): run it on a worker thread only. In this order: present, not
 * oversize, well-formed (three base64url segments, JSON header and claims, numeric
 * {@code exp}/{@code nbf}/{@code iat}), not {@code alg: none}, the configured algorithm and a
 * signature that verifies (vertx-auth-jwt), not expired, {@code sub} equal to the client id.
 * A forged token is therefore always counted as a bad signature, never as expired.
 */
final class JwtCheck {

  private final JWTAuth auth;
  private final String algorithm;
  private final int maxTokenBytes;
  private final LongSupplier wallClockMs;

  JwtCheck(JWTAuth auth, String algorithm, int maxTokenBytes, LongSupplier wallClockMs) {
    this.auth = auth;
    this.algorithm = algorithm;
    this.maxTokenBytes = maxTokenBytes;
    this.wallClockMs = wallClockMs;
  }

  /** @throws Refusal with the reason the token is refused */
  void check(String clientId, String token) {
    if (token == null || token.isEmpty()) {
      throw new Refusal(Reason.MISSING);
    }
    if (token.length() > maxTokenBytes) {
      throw new Refusal(Reason.OVERSIZE);
    }
    String[] segments = token.split("\\.", -1);
    JsonObject header = segments.length == 2 || segments.length == 3 ? json(segments[0]) : null;
    if (header == null) {
      throw new Refusal(Reason.BAD_TOKEN);
    }
    if (header.getValue("alg") instanceof String alg && alg.equalsIgnoreCase("none")) {
      throw new Refusal(Reason.ALG_NONE);
    }
    JsonObject claims = segments.length == 3 && isBase64Url(segments[2])
        ? json(segments[1]) : null;
    if (claims == null || !numericOrAbsent(claims, "exp") || !numericOrAbsent(claims, "nbf")
        || !numericOrAbsent(claims, "iat")) {
      throw new Refusal(Reason.BAD_TOKEN);
    }
    if (!algorithm.equals(header.getValue("alg")) || !signatureVerifies(token)) {
      throw new Refusal(Reason.BAD_SIGNATURE);
    }
    double nowSeconds = wallClockMs.getAsLong() / 1000.0;
    if (claims.containsKey("exp") && nowSeconds >= claims.getNumber("exp").doubleValue()
        || claims.containsKey("nbf") && nowSeconds < claims.getNumber("nbf").doubleValue()) {
      throw new Refusal(Reason.EXPIRED);
    }
    if (!(claims.getValue("sub") instanceof String sub && sub.equals(clientId))) {
      throw new Refusal(Reason.WRONG_SUBJECT);
    }
  }

  private boolean signatureVerifies(String token) {
    Future<User> user;
    try {
      // vertx-auth-jwt verifies in the calling thread and returns a completed future.
      user = auth.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      return false;
    }
    return user.isComplete() && user.succeeded();
  }

  private static boolean numericOrAbsent(JsonObject claims, String name) {
    Object value = claims.getValue(name);
    return value == null && !claims.containsKey(name) || value instanceof Number;
  }

  /** The JSON object a base64url segment encodes, or null. */
  private static JsonObject json(String segment) {
    if (segment.isEmpty() || !isBase64Url(segment)) {
      return null;
    }
    try {
      Object value = Json.decodeValue(Buffer.buffer(Base64.getUrlDecoder().decode(segment)));
      return value instanceof JsonObject ? (JsonObject) value : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static boolean isBase64Url(String segment) {
    if (segment.isEmpty()) {
      return false;
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
          || c == '_')) {
        return false;
      }
    }
    return true;
  }
}
