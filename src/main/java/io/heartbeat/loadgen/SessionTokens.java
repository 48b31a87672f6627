package io.heartbeat.loadgen;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The HS256 tokens a session load presents, one per client id ({@code sub} = the id, {@code exp}
 * an hour after the run ends), all signed before the load starts so that signing costs the ramp
 * nothing.
 */
final class SessionTokens {

  private final String[] tokens;

  private SessionTokens(String[] tokens) {
    this.tokens = tokens;
  }

  /**
   * Signs a token for each of the settings' client ids with the secret in
   * {@code settings.jwtSecretFile}.
   *
   * @throws IllegalArgumentException when the secret file cannot be read or is empty
   */
  static SessionTokens sign(Vertx vertx, LoadSettings settings) {
    String secret;
    try {
      secret = Files.readString(Path.of(settings.jwtSecretFile), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("--jwt-secret-file " + settings.jwtSecretFile
          + " cannot be read: " + e.getMessage());
    }
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("--jwt-secret-file " + settings.jwtSecretFile
          + " is empty");
    }
    JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(
        new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    long exp = System.currentTimeMillis() / 1000 + settings.durationS + 3600;
    JWTOptions options = new JWTOptions().setAlgorithm("HS256");
    String[] tokens = new String[settings.conns];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = auth.generateToken(new JsonObject().put("sub", settings.clientId(i))
          .put("exp", exp), options);
    }
    return new SessionTokens(tokens);
  }

  /** The token of connection {@code i}. */
  String token(int i) {
    return tokens[i];
  }
}
