package io.heartbeat.server.netty;

import io.heartbeat.protocol.FrameEncoder;
import io.heartbeat.server.ConnectionCore;
import io.heartbeat.server.ConnectionOutput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lean-edge socket: its Netty handler (behind TLS when on) and its {@link ConnectionOutput}.
 * Received buffers go straight to the connection's core, on the instance's Vert.x context;
 * empty acks and probes go out in pooled 8-byte buffers from the socket's allocator (no garbage
 * per ack); queued frames are flushed once per read burst.
 */
final class LeanConnection extends ChannelInboundHandlerAdapter
    implements ConnectionOutput, Handler<ByteBuf> {

  private static final Logger LOG = LoggerFactory.getLogger(LeanConnection.class);

  private final Channel socket;
  private final ContextInternal context;
  private final FrameEncoder encoder;
  private ChannelHandlerContext channel;
  private ConnectionCore core;

  LeanConnection(Channel socket, ContextInternal context, FrameEncoder encoder) {
    this.socket = socket;
    this.context = context;
    this.encoder = encoder;
  }

  /** Puts this handler last in the socket's pipeline; its reads go to {@code core}. */
  void start(ConnectionCore core) {
    this.core = core;
    socket.pipeline().addLast("heartbeat-connection", this);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf) {
      context.dispatch((ByteBuf) msg, this);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  /** A read, on the instance's context. */
  @Override
  public void handle(ByteBuf bytes) {
    try {
      core.onBytes(bytes, System.nanoTime());
    } finally {
      bytes.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    core.onReadComplete();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable error = cause instanceof DecoderException && cause.getCause() instanceof SSLException
        ? cause.getCause() : cause;
    if (error instanceof IOException || error instanceof DecoderException) {
      context.dispatch(error, core::onIoError);
    } else {
      LOG.error("Connection {} from {}: unexpected error", core.id(), remoteAddress(), error);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    context.dispatch(v -> core.onClosed());
  }

  @Override
  public void writeEmpty(int type) {
    channel.write(encoder.encode(channel.alloc(), type, null), channel.voidPromise());
  }

  @Override
  public void write(byte[] frame) {
    channel.write(Unpooled.wrappedBuffer(frame), channel.voidPromise());
  }

  @Override
  public void flush() {
    channel.flush();
  }

  @Override
  public boolean writable() {
    return socket.isWritable();
  }

  @Override
  public void close() {
    channel.close();
  }

  @Override
  public String remoteAddress() {
    return hostAndPort(socket.remoteAddress());
  }

  @Override
  public String localAddress() {
    return hostAndPort(socket.localAddress());
  }

  @Override
  public String remoteHost() {
    InetSocketAddress remote = (InetSocketAddress) socket.remoteAddress();
    return remote == null ? "?" : remote.getAddress().getHostAddress();
  }

  private static String hostAndPort(SocketAddress address) {
    InetSocketAddress inet = (InetSocketAddress) address;
    return inet == null ? "?" : inet.getAddress().getHostAddress() + ":" + inet.getPort();
  }
}
