package io.heartbeat.server.netty;

import io.heartbeat.config.HeartbeatConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * Builds the client port's TLS context from the settings: the server certificate and key (PEM,
 * read by Vert.x, so PKCS#1 and PKCS#8 keys both work), TLS 1.2 and 1.3 only and, when a client
 * CA is given, a required client certificate signed by it.
 */
final class ClientTls {

  /** Name of the TLS handler in an accepted socket's pipeline. */
  static final String HANDLER_NAME = "heartbeat-tls";

  private ClientTls() {
  }

  /** Reads the key material (blocking: call off the event loop). */
  static SslContext context(Vertx vertx, HeartbeatConfig config) throws Exception {
    SslContextBuilder builder = SslContextBuilder.forServer(new PemKeyCertOptions()
            .setCertPath(config.tlsCertPath()).setKeyPath(config.tlsKeyPath())
            .getKeyManagerFactory(vertx))
        .sslProvider(SslProvider.JDK)
        .protocols("TLSv1.3", "TLSv1.2");
    if (!config.tlsClientCaPath().isEmpty()) {
      builder.clientAuth(ClientAuth.REQUIRE).trustManager(new PemTrustOptions()
          .addCertPath(config.tlsClientCaPath()).getTrustManagerFactory(vertx));
    }
    return builder.build();
  }
}
