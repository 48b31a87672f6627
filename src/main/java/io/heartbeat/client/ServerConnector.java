package io.heartbeat.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the sockets of a {@link HeartbeatClient}: one Vert.x {@link NetClient} with the client's
 * TCP settings, and per server the connect options (TLS, SNI name). Public Vert.x API only.
 */
final class ServerConnector {

  private static final Logger LOG = LoggerFactory.getLogger(ServerConnector.class);

  private final NetClient netClient;
  /** The TLS settings of every connect, or null for plain TCP. */
  private final ClientSSLOptions sslOptions;
  /** The SNI name set in the TLS options, or null for "each server's host name". */
  private final String configuredSni;

  ServerConnector(Vertx vertx, HeartbeatClientOptions options) {
    this.netClient = vertx.createNetClient(netClientOptions(vertx, options));
    ClientTlsOptions tls = options.getTls();
    this.sslOptions = tls == null ? null : tls.toSslOptions(options.getConnectTimeoutMs());
    this.configuredSni = tls == null ? null : tls.getSniServerName();
  }

  private static NetClientOptions netClientOptions(Vertx vertx, HeartbeatClientOptions options) {
    NetClientOptions net = new NetClientOptions()
        .setConnectTimeout(options.getConnectTimeoutMs())
        .setTcpNoDelay(true)
        .setTcpKeepAlive(options.isTcpKeepAlive());
    if (options.getTcpUserTimeoutMs() > 0) {
      net.setTcpUserTimeout(options.getTcpUserTimeoutMs());
      if (!vertx.isNativeTransportEnabled()) {
        LOG.warn("tcpUserTimeoutMs = {} has no effect: the Vertx instance runs without the native"
            + " epoll transport", options.getTcpUserTimeoutMs());
      }
    }
    return net;
  }

  /** Connects to {@code server}; with TLS the future completes after the handshake. */
  Future<NetSocket> connect(ServerAddress server) {
    ConnectOptions connect = new ConnectOptions().setHost(server.host()).setPort(server.port());
    if (sslOptions != null) {
      connect.setSsl(true).setSslOptions(sslOptions);
      String sni = sniServerName(server);
      if (sni != null) {
        connect.setSniServerName(sni);
      }
    }
    return netClient.connect(connect);
  }

  Future<Void> close() {
    return netClient.close();
  }

  /** The message of {@code error} and of its cause (a TLS failure's reason is in the cause). */
  static String describe(Throwable error) {
    String text = String.valueOf(error.getMessage());
    Throwable cause = error.getCause();
    return cause == null || cause.getMessage() == null ? text : text + ": " + cause.getMessage();
  }

  /** The SNI name for {@code server}: the configured one, else its host unless an IP literal. */
  private String sniServerName(ServerAddress server) {
    if (configuredSni != null) {
      return configuredSni;
    }
    String host = server.host();
    boolean ipLiteral = host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    return ipLiteral ? null : host;
  }
}
