package io.heartbeat.server;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * The one bridge from a Vert.x {@link NetSocket} to its Netty channel.
 *
 * <p>Why: the heartbeat path reads Netty {@code ByteBuf}s as they come off the socket (no copy
 * into a Vert.x Buffer, no per-read queueing) and writes acks as retained duplicates of one
 * shared frame, without a Future per write. That is what a hand-written Netty server does, and
 * it is where most of the per-heartbeat CPU goes. {@code NetSocketInternal} is internal Vert.x
 * API and may change in a minor release: keep all uses here.
 */
final class SocketAccess {

  private SocketAccess() {
  }

  static NetSocketInternal internal(NetSocket socket) {
    return (NetSocketInternal) socket;
  }

  static ChannelHandlerContext channelContext(NetSocket socket) {
    return internal(socket).channelHandlerContext();
  }
}
