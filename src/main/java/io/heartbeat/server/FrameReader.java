package io.heartbeat.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * A Netty handler placed just before Vert.x's own handler in an accepted socket's pipeline: it
 * hands every received buffer straight to the {@link Connection}'s decoder and flushes acks once
 * per read burst, the way a hand-written Netty server does. The bytes never reach the Vert.x
 * NetSocket (no copy into a Vert.x Buffer, no per-read context dispatch); every other event
 * (close, errors, writability) flows on to Vert.x unchanged.
 *
 * <p>Runs on the channel's event loop, which is the event loop of the I/O verticle that owns the
 * connection, so it touches the connection's state from the same thread as everything else.
 */
final class FrameReader extends ChannelInboundHandlerAdapter {

  /** Name of this handler in the pipeline. */
  static final String NAME = "heartbeat-frame-reader";

  private final Connection connection;

  FrameReader(Connection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf) {
      connection.onBytes((ByteBuf) msg);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    connection.flushIfNeeded();
    ctx.fireChannelReadComplete();
  }
}
