package io.heartbeat.server.netty;

import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.server.ClientPort;
import io.heartbeat.server.RateLimitedLog;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.VertxInternal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lean edge's client port (ioEdge = LEAN): one Netty listening socket per process, on
 * Vert.x's acceptor loop and transport, whose accepted sockets are handed in turn to the I/O
 * instances that joined it, each registered on its instance's own event loop. An accepted
 * socket's pipeline holds the TLS handler (when TLS is on) and its {@link LeanConnection},
 * nothing else: no Vert.x {@code NetSocket}, whose per-socket queues and objects cost about
 * twice a hand-written Netty server's memory per connection in Vert.x 5.0 (README
 * Architecture has the figures).
 *
 * <p>The first instance to open binds; the last to close closes the listening socket. Thread-safe.
 */
public final class LeanListener implements ClientPort.Factory {

  private static final Logger LOG = LoggerFactory.getLogger(LeanListener.class);

  private final HeartbeatConfig config;
  /** The instances that take accepted sockets; replaced, never changed in place. */
  private volatile LeanPort[] members = new LeanPort[0];
  private final Dispatcher dispatcher = new Dispatcher();
  private Future<Integer> bound;
  private ServerChannel channel;
  /** Writes are refused above maxPendingWriteBytes queued (one immutable value for all). */
  private final WriteBufferWaterMark writeLimit;
  /** Written before the listener is registered, read by the dispatcher on the acceptor loop. */
  private volatile SslContext tls;
  /** The port bound first (0 before). */
  private volatile int boundPort;

  /** @param config the client port's settings (host, port, TLS, write limit, keepalive) */
  public LeanListener(HeartbeatConfig config) {
    this.config = config;
    this.writeLimit = new WriteBufferWaterMark(config.maxPendingWriteBytes() / 2,
        config.maxPendingWriteBytes());
  }

  @Override
  public ClientPort newInstancePort() {
    return new LeanPort(this, config);
  }

  /** Adds {@code port} to the members, binding first if nobody did; completes with the port. */
  synchronized Future<Integer> join(VertxInternal vertx, LeanPort port) {
    if (bound == null) {
      Promise<Integer> binding = Promise.promise();
      bound = binding.future();
      bind(vertx, binding);
    }
    return bound.onSuccess(p -> add(port));
  }

  private synchronized void add(LeanPort port) {
    LeanPort[] now = Arrays.copyOf(members, members.length + 1);
    now[now.length - 1] = port;
    members = now;
  }

  /** Removes {@code port}; the last one to leave closes the listening socket. */
  synchronized Future<Void> leave(LeanPort port) {
    members = Arrays.stream(members).filter(m -> m != port).toArray(LeanPort[]::new);
    if (members.length > 0) {
      return Future.succeededFuture();
    }
    // A bind still under way sees this and closes what it bound.
    bound = null;
    ServerChannel server = channel;
    channel = null;
    if (server == null) {
      return Future.succeededFuture();
    }
    Promise<Void> closed = Promise.promise();
    // Completes one loop turn after the close: on NIO the JDK closes a selector-registered socket
    // only when the selector next runs, and until then the kernel still accepts connections.
    server.close().addListener(f -> server.eventLoop().schedule(
        () -> closed.complete(), 1, TimeUnit.MILLISECONDS));
    return closed.future();
  }

  private void bind(VertxInternal vertx, Promise<Integer> listening) {
    vertx.<InetSocketAddress>executeBlocking(() -> {
      // Name resolution and reading key files block: off the event loop.
      if (config.tlsEnabled()) {
        tls = ClientTls.context(vertx, config);
      }
      // Once bound, the same port again (a drain that is undone must not move the port).
      int port = boundPort > 0 ? boundPort : config.port();
      return new InetSocketAddress(InetAddress.getByName(config.host()), port);
    }).onFailure(listening::fail).onSuccess(address -> {
      ServerChannel server = vertx.transport().serverChannelFactory(false).newChannel();
      server.config().setOption(ChannelOption.SO_REUSEADDR, true);
      server.pipeline().addLast(dispatcher);
      vertx.acceptorEventLoopGroup().register(server).addListener(registered -> {
        if (!registered.isSuccess()) {
          listening.fail(registered.cause());
          return;
        }
        server.bind(address).addListener(done -> {
          if (!done.isSuccess()) {
            server.close();
            listening.fail(done.cause());
            return;
          }
          synchronized (this) {
            if (bound != listening.future()) {
              // Every instance left while binding (a shutdown during start).
              server.close();
              listening.fail("The client port was closed while it was being bound");
              return;
            }
            channel = server;
          }
          boundPort = ((InetSocketAddress) server.localAddress()).getPort();
          listening.complete(boundPort);
        });
      });
    });
  }

  /**
   * On the acceptor loop: sets the accepted socket's options, gives it to the next instance in
   * turn and registers it on that instance's event loop, where the instance takes it over before
   * the first read.
   */
  @ChannelHandler.Sharable
  private final class Dispatcher extends ChannelInboundHandlerAdapter {

    private final RateLimitedLog acceptLog = new RateLimitedLog(LOG, 1);
    private int next;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Channel socket = (Channel) msg;
      LeanPort owner = pick();
      if (owner == null) {
        socket.unsafe().closeForcibly();
        return;
      }
      socket.config().setOption(ChannelOption.TCP_NODELAY, true);
      socket.config().setOption(ChannelOption.SO_KEEPALIVE, config.tcpKeepAlive());
      socket.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, writeLimit);
      if (tls != null) {
        SslHandler handler = tls.newHandler(socket.alloc());
        handler.setHandshakeTimeoutMillis(config.tlsHandshakeTimeoutMs());
        socket.pipeline().addLast(ClientTls.HANDLER_NAME, handler);
      }
      // The owner takes the socket over when it is registered, before the first read.
      socket.pipeline().addLast(owner.takeover());
      owner.eventLoop().register(socket).addListener(registered -> {
        if (!registered.isSuccess()) {
          acceptLog.warn("Could not register an accepted socket on its event loop: {}",
              registered.cause().toString());
          socket.unsafe().closeForcibly();
        }
      });
    }

    private LeanPort pick() {
      LeanPort[] now = members;
      if (now.length == 0) {
        return null;
      }
      next = (next + 1) % now.length;
      return now[next];
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // Accept errors (out of file descriptors, ...): Netty goes on accepting after them.
      acceptLog.warn("Accepting a connection on port {} failed: {} (raise the open-files limit,"
          + " ulimit -n, or lower maxConnections)", config.port(), cause.toString());
    }
  }
}
