package io.heartbeat.session;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Compact JWTs signed by hand with the JDK (RFC 7515), independent of the library under test:
 * HS256, RS256, ES256 (raw R||S signature), unsigned ({@code alg: none}), and PEM files.
 */
final class Jwts {

  private Jwts() {
  }

  static String hs256(String secret, JsonObject claims) throws GeneralSecurityException {
    String input = input("HS256", claims);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  static String rs256(PrivateKey key, JsonObject claims) throws GeneralSecurityException {
    return signed("RS256", "SHA256withRSA", key, claims);
  }

  static String es256(PrivateKey key, JsonObject claims) throws GeneralSecurityException {
    // JWS wants the 64-byte R||S form, which this JDK algorithm produces.
    return signed("ES256", "SHA256withECDSAinP1363Format", key, claims);
  }

  /** {"alg":"none"}: header.claims. (with an empty signature segment). */
  static String unsigned(JsonObject claims) {
    return b64(new JsonObject().put("alg", "none").put("typ", "JWT").encode()) + "."
        + b64(claims.encode()) + ".";
  }

  static KeyPair rsaKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  static KeyPair ecKeys(String curve) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec(curve));
    return generator.generateKeyPair();
  }

  static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  static String b64(String text) {
    return b64(text.getBytes(StandardCharsets.UTF_8));
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String signed(String alg, String jdkAlgorithm, PrivateKey key, JsonObject claims)
      throws GeneralSecurityException {
    String input = input(alg, claims);
    Signature signature = Signature.getInstance(jdkAlgorithm);
    signature.initSign(key);
    signature.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + b64(signature.sign());
  }

  private static String input(String alg, JsonObject claims) {
    return b64(new JsonObject().put("alg", alg).put("typ", "JWT").encode()) + "."
        + b64(claims.encode());
  }
}
