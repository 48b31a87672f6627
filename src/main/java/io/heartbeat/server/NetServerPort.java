package io.heartbeat.server;

import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.protocol.FrameEncoder;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.server.netty.KeepAliveTuning;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default edge: each I/O instance creates a Vert.x {@code NetServer} on the client port;
 * Vert.x binds the port once per process and spreads accepted sockets over the instances. TCP
 * options, TLS and mutual TLS come from {@link NetServerOptions}; each accepted
 * {@link NetSocket} feeds a {@link ConnectionCore} through a {@link NetSocketConnection}.
 *
 * <p>Port 0 ("any free port") is served as one port for all instances of a process: Vert.x
 * shares a port it picks only among servers asking for the same negative port number, so each
 * process's factory takes a number of its own.
 */
public final class NetServerPort implements ClientPort {

  private static final AtomicInteger ANY_PORT_GROUPS = new AtomicInteger();

  /** Acks sent in one write at most: a block of them is shared, and sliced for fewer. */
  private static final int ACKS_PER_BLOCK = 512;

  private final NetServerOptions options;
  private final HeartbeatConfig config;
  private final Buffer[] emptyFrames;
  private final Buffer ackBlock;
  private NetServer server;

  private NetServerPort(NetServerOptions options, HeartbeatConfig config, Buffer[] emptyFrames,
      Buffer ackBlock) {
    this.options = options;
    this.config = config;
    this.emptyFrames = emptyFrames;
    this.ackBlock = ackBlock;
  }

  /** The factory of one process's client port. */
  public static ClientPort.Factory factory(HeartbeatConfig config) {
    NetServerOptions options = options(config);
    FrameEncoder encoder = new FrameEncoder(config.byteOrder());
    Buffer[] empty = new Buffer[FrameType.GOODBYE + 1];
    for (int type = 0; type < empty.length; type++) {
      empty[type] = Buffer.buffer(encoder.frameBytes(type, null));
    }
    Buffer block = Buffer.buffer(ACKS_PER_BLOCK * empty[FrameType.HEARTBEAT_ACK].length());
    for (int i = 0; i < ACKS_PER_BLOCK; i++) {
      block.appendBuffer(empty[FrameType.HEARTBEAT_ACK]);
    }
    return () -> new NetServerPort(options, config, empty, block);
  }

  static NetServerOptions options(HeartbeatConfig config) {
    int port = config.port() == 0 ? -1 - ANY_PORT_GROUPS.getAndIncrement() : config.port();
    NetServerOptions options = new NetServerOptions().setHost(config.host()).setPort(port)
        .setReuseAddress(true).setTcpNoDelay(true).setTcpKeepAlive(config.tcpKeepAlive());
    if (config.tlsEnabled()) {
      options.setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.tlsCertPath())
              .setKeyPath(config.tlsKeyPath()))
          .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
          .setSslHandshakeTimeout(config.tlsHandshakeTimeoutMs())
          .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
      if (!config.tlsClientCaPath().isEmpty()) {
        options.setTrustOptions(new PemTrustOptions().addCertPath(config.tlsClientCaPath()))
            .setClientAuth(ClientAuth.REQUIRED);
      }
    }
    return options;
  }

  @Override
  public Future<Integer> open(Context context, Acceptor acceptor) {
    Vertx vertx = context.owner();
    NetServer created = vertx.createNetServer(options);
    server = created;
    KeepAliveTuning keepAlive = config.tcpKeepAlive() ? new KeepAliveTuning(config) : null;
    ReadScratch scratch = new ReadScratch();
    created.connectHandler(socket -> {
      socket.setWriteQueueMaxSize(config.maxPendingWriteBytes());
      if (keepAlive != null) {
        keepAlive.apply(socket);
      }
      NetSocketConnection.serve(socket, acceptor, emptyFrames, ackBlock, scratch, vertx);
    });
    return created.listen().map(NetServer::actualPort);
  }

  @Override
  public Future<Void> close() {
    NetServer s = server;
    server = null;
    return s == null ? Future.succeededFuture() : s.close();
  }
}
