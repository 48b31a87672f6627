package io.heartbeat.server;

import io.heartbeat.config.HeartbeatConfig;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Builds the client port's NetServerOptions from the settings. */
final class ServerOptions {

  private ServerOptions() {
  }

  static NetServerOptions from(HeartbeatConfig config) {
    NetServerOptions options = new NetServerOptions()
        .setHost(config.host())
        // -1: one random port shared by all instances (0 would give each its own).
        .setPort(config.port() == 0 ? -1 : config.port())
        // Acks must leave at once, not wait for Nagle.
        .setTcpNoDelay(true)
        .setReuseAddress(true)
        .setTcpKeepAlive(config.tcpKeepAlive());
    if (config.tlsEnabled()) {
      options.setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.tlsCertPath())
              .setKeyPath(config.tlsKeyPath()))
          .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
          .setSslHandshakeTimeout(config.tlsHandshakeTimeoutMs())
          .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
          // SNI stays off: with it, Vert.x up to 5.0.11 keeps an unbounded cache (CVE-2026-6860).
          .setSni(false);
      if (!config.tlsClientCaPath().isEmpty()) {
        options.setClientAuth(ClientAuth.REQUIRED)
            .setTrustOptions(new PemTrustOptions().addCertPath(config.tlsClientCaPath()));
      }
    }
    return options;
  }
}
