package io.heartbeat.client;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * TLS settings of a {@link HeartbeatClient}, turned into Vert.x {@link ClientSSLOptions}: which
 * certificate authorities to trust (PEM), an optional client certificate and key (PEM, for
 * servers that require mutual TLS), hostname verification (on by default) and the SNI name.
 * TLS 1.2 and 1.3 only (the Vert.x default). The TLS handshake must finish within the client's
 * connectTimeoutMs.
 *
 * <p>Data-object style: a JSON constructor, {@link #toJson()} and a copy constructor; setters
 * validate their argument, {@link #validate()} checks the rules between fields. Not thread-safe;
 * {@link HeartbeatClientOptions} takes a copy.
 */
public final class ClientTlsOptions {

  /** Default: the server's certificate must name the host the client connects to. */
  public static final boolean DEFAULT_HOSTNAME_VERIFICATION = true;

  private String trustPemPath;
  private String certPemPath;
  private String keyPemPath;
  private boolean hostnameVerification = DEFAULT_HOSTNAME_VERIFICATION;
  private String sniServerName;

  /** TLS trusting the JVM's default certificate authorities, hostname verification on. */
  public ClientTlsOptions() {
  }

  /** A copy of {@code other}. */
  public ClientTlsOptions(ClientTlsOptions other) {
    trustPemPath = other.trustPemPath;
    certPemPath = other.certPemPath;
    keyPemPath = other.keyPemPath;
    hostnameVerification = other.hostnameVerification;
    sniServerName = other.sniServerName;
  }

  /**
   * Reads the fields of {@link #toJson()}; absent fields keep their defaults.
   *
   * @throws IllegalArgumentException naming the field for an unknown field, a wrong type or a
   *     value out of range
   */
  public ClientTlsOptions(JsonObject json) {
    OptionsJson.readTls(json, this);
  }

  /** The fields that differ from null, plus hostnameVerification. */
  public JsonObject toJson() {
    return OptionsJson.writeTls(this);
  }

  /**
   * PEM file of the certificate authorities (one or more certificates) that may sign the server's
   * certificate; null (the default) trusts the JVM's default authorities.
   */
  public ClientTlsOptions setTrustPemPath(String trustPemPath) {
    this.trustPemPath = path("tls.trustPemPath", trustPemPath);
    return this;
  }

  /** PEM file of this client's certificate chain, for mutual TLS; null for none. Needs a key. */
  public ClientTlsOptions setCertPemPath(String certPemPath) {
    this.certPemPath = path("tls.certPemPath", certPemPath);
    return this;
  }

  /** PEM file of this client's private key (PKCS#8 or PKCS#1), for mutual TLS; null for none. */
  public ClientTlsOptions setKeyPemPath(String keyPemPath) {
    this.keyPemPath = path("tls.keyPemPath", keyPemPath);
    return this;
  }

  /**
   * Whether the server's certificate must name the server's host (RFC 2818 rules, as HTTPS). On by
   * default; turning it off accepts any certificate the trusted authorities signed, whoever it
   * names.
   */
  public ClientTlsOptions setHostnameVerification(boolean hostnameVerification) {
    this.hostnameVerification = hostnameVerification;
    return this;
  }

  /**
   * The server name sent in the TLS SNI extension, for every server of the list; null (the
   * default) sends each server's host when it is a DNS name and no SNI for an IP address. It does
   * not change which name the certificate is verified against (always the server's host).
   */
  public ClientTlsOptions setSniServerName(String sniServerName) {
    if (sniServerName != null && (sniServerName.isBlank() || sniServerName.endsWith(".")
        || sniServerName.indexOf(':') >= 0)) {
      throw new IllegalArgumentException("tls.sniServerName must be a DNS host name, was \""
          + sniServerName + "\"");
    }
    this.sniServerName = sniServerName;
    return this;
  }

  /**
   * Checks that a certificate comes with its key and that every file named is readable.
   *
   * @throws IllegalArgumentException naming the field and the path
   */
  public ClientTlsOptions validate() {
    if ((certPemPath == null) != (keyPemPath == null)) {
      throw new IllegalArgumentException("tls.certPemPath and tls.keyPemPath must be set together,"
          + " were " + certPemPath + " and " + keyPemPath);
    }
    readable("tls.trustPemPath", trustPemPath);
    readable("tls.certPemPath", certPemPath);
    readable("tls.keyPemPath", keyPemPath);
    return this;
  }

  /** The Vert.x options these settings stand for, the handshake bounded by the given ms. */
  ClientSSLOptions toSslOptions(long handshakeTimeoutMs) {
    ClientSSLOptions ssl = new ClientSSLOptions()
        .setHostnameVerificationAlgorithm(hostnameVerification ? "HTTPS" : "")
        .setSslHandshakeTimeout(handshakeTimeoutMs)
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    if (trustPemPath != null) {
      ssl.setTrustOptions(new PemTrustOptions().addCertPath(trustPemPath));
    }
    if (certPemPath != null) {
      ssl.setKeyCertOptions(new PemKeyCertOptions().setCertPath(certPemPath)
          .setKeyPath(keyPemPath));
    }
    return ssl;
  }

  private static String path(String name, String value) {
    if (value != null && value.isBlank()) {
      throw new IllegalArgumentException(name + " must be a file path or null, was \"" + value
          + "\"");
    }
    return value;
  }

  private static void readable(String name, String value) {
    if (value != null && !Files.isReadable(Path.of(value))) {
      throw new IllegalArgumentException(name + " names no readable file: " + value);
    }
  }

  public String getTrustPemPath() {
    return trustPemPath;
  }

  public String getCertPemPath() {
    return certPemPath;
  }

  public String getKeyPemPath() {
    return keyPemPath;
  }

  public boolean isHostnameVerification() {
    return hostnameVerification;
  }

  public String getSniServerName() {
    return sniServerName;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientTlsOptions && toJson().equals(((ClientTlsOptions) o).toJson());
  }

  @Override
  public int hashCode() {
    return Objects.hash(trustPemPath, certPemPath, keyPemPath, hostnameVerification,
        sniServerName);
  }
}
