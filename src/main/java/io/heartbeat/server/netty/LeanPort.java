package io.heartbeat.server.netty;

import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.server.Acceptor;
import io.heartbeat.server.ClientPort;
import io.heartbeat.server.ConnectionCore;
import io.heartbeat.protocol.FrameEncoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

/**
 * One I/O instance's part of the {@link LeanListener}: sockets handed to it are registered on
 * the instance's event loop and, before their first read, given to the instance's
 * {@link Acceptor}; a taken socket gets a {@link LeanConnection} as its last handler.
 */
final class LeanPort implements ClientPort {

  private final LeanListener listener;
  private final HeartbeatConfig config;
  private final FrameEncoder encoder;
  private final KeepAliveTuning keepAlive;
  private final Takeover takeover = new Takeover();
  private ContextInternal context;
  private Acceptor acceptor;

  LeanPort(LeanListener listener, HeartbeatConfig config) {
    this.listener = listener;
    this.config = config;
    this.encoder = new FrameEncoder(config.byteOrder());
    this.keepAlive = config.tcpKeepAlive() ? new KeepAliveTuning(config) : null;
  }

  @Override
  public Future<Integer> open(Context context, Acceptor acceptor) {
    this.context = (ContextInternal) context;
    this.acceptor = acceptor;
    return listener.join((VertxInternal) context.owner(), this);
  }

  @Override
  public Future<Void> close() {
    return listener.leave(this);
  }

  EventLoop eventLoop() {
    return context.nettyEventLoop();
  }

  ChannelHandler takeover() {
    return takeover;
  }

  private void accept(Channel socket) {
    LeanConnection connection = new LeanConnection(socket, context, encoder);
    ConnectionCore core = acceptor.accept(connection, System.nanoTime());
    if (core == null) {
      socket.close();
      return;
    }
    if (keepAlive != null) {
      keepAlive.apply(socket);
    }
    connection.start(core);
  }

  /**
   * Netty calls {@code handlerAdded} of a handler added before registration once the socket is
   * registered, on its event loop, before it is active: the moment to take it over. (Netty's
   * ChannelInitializer does the same but keeps a concurrent set entry per socket.)
   */
  @ChannelHandler.Sharable
  private final class Takeover extends ChannelHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ctx.pipeline().remove(this);
      context.dispatch(ctx.channel(), LeanPort.this::accept);
    }
  }
}
