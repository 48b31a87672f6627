package io.heartbeat.session;

import io.heartbeat.config.ConfigException;
import io.heartbeat.config.HeartbeatConfig;
import io.vertx.core.json.Json;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Builds the vertx-auth-jwt options of the one key sessions are verified with: the HS256 secret,
 * or the RS256 (RSA) / ES256 (EC P-256) public key of a PEM file, read and checked here so a bad
 * file fails the start with one line naming the key and the path (never the secret).
 */
final class JwtKeys {

  private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
  private static final String END = "-----END PUBLIC KEY-----";

  private JwtKeys() {
  }

  /** The algorithm and options; expiry is left to {@link JwtCheck}, which checks it itself. */
  record Key(String algorithm, JWTAuthOptions options) {
  }

  /**
   * Reads the configured key (a blocking file read for a PEM key).
   *
   * @throws ConfigException a missing, unreadable or unsupported PEM file
   */
  static Key load(HeartbeatConfig config) throws ConfigException {
    String secret = config.authJwtSecret();
    if (secret != null) {
      return key("HS256", new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret));
    }
    String path = config.authJwtPublicKeyPath();
    if (path == null) {
      throw new ConfigException("auth.mode JWT needs auth.jwtSecret or auth.jwtPublicKeyPath.");
    }
    PublicKey key = parse(read(path), path);
    String algorithm = algorithm(key, path);
    // Written out again from the key itself: one canonical form for vertx-auth-jwt's parser.
    String pem = BEGIN + "\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
        .encodeToString(key.getEncoded()) + "\n" + END + "\n";
    return key(algorithm, new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(pem));
  }

  private static Key key(String algorithm, PubSecKeyOptions key) {
    return new Key(algorithm, new JWTAuthOptions().addPubSecKey(key)
        .setJWTOptions(new JWTOptions().setAlgorithm(algorithm).setIgnoreExpiration(true)));
  }

  private static String read(String path) throws ConfigException {
    try {
      return Files.readString(Path.of(path), StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw invalid(path, "the file does not exist");
    } catch (IOException | RuntimeException e) {
      throw invalid(path, "the file cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static PublicKey parse(String pem, String path) throws ConfigException {
    int begin = pem.indexOf(BEGIN);
    int end = pem.indexOf(END);
    if (begin < 0 || end < begin) {
      throw invalid(path, "no " + BEGIN + " ... " + END + " block");
    }
    byte[] der;
    try {
      // Strict: the MIME decoder would skip characters that are not base64.
      der = Base64.getDecoder().decode(pem.substring(begin + BEGIN.length(), end)
          .replaceAll("\\s+", ""));
    } catch (IllegalArgumentException e) {
      throw invalid(path, "the PEM block is not valid base64");
    }
    for (String kind : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(kind).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // Not this kind of key: try the next.
      }
    }
    throw invalid(path, "the PEM block is neither an RSA nor an EC public key");
  }

  private static String algorithm(PublicKey key, String path) throws ConfigException {
    if (!(key instanceof ECPublicKey)) {
      return "RS256";
    }
    ECParameterSpec params = ((ECPublicKey) key).getParams();
    ECParameterSpec p256;
    try {
      AlgorithmParameters named = AlgorithmParameters.getInstance("EC");
      named.init(new ECGenParameterSpec("secp256r1"));
      p256 = named.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw invalid(path, "this Java runtime has no EC P-256 support");
    }
    if (!params.getCurve().equals(p256.getCurve()) || !params.getOrder().equals(p256.getOrder())
        || !params.getGenerator().equals(p256.getGenerator())) {
      throw invalid(path, "the EC key is not on curve P-256 (ES256 needs P-256)");
    }
    return "ES256";
  }

  private static ConfigException invalid(String path, String why) {
    // JSON-quoted, so a path with a line break still gives a one-line message.
    return new ConfigException("Invalid setting auth.jwtPublicKeyPath = " + Json.encode(path)
        + ": " + why
        + "; expected a PEM public key (" + BEGIN + ") of RS256 (RSA) or ES256 (EC P-256).");
  }
}
