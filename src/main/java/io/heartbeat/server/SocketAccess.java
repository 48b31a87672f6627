package io.heartbeat.server;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one bridge from a Vert.x {@link NetSocket} to its Netty channel and Vert.x internals.
 *
 * <p>Why: the heartbeat path reads Netty {@code ByteBuf}s as they come off the socket and
 * writes acks as duplicates of one shared frame, without a Future per write: what a hand-written
 * Netty server does, and where most of the per-heartbeat CPU goes. And each Vert.x 5.0 socket
 * eagerly allocates a multi-producer write queue whose first chunk alone is about 4.7 KiB, for
 * writes from other threads; this service writes to a socket only from its own event loop, so
 * {@link #useEventLoopWriteQueue} swaps in Vert.x's own direct queue (the one its strict thread
 * mode uses) and the chunk is never kept. These are internal Vert.x APIs that may change in a
 * minor release: keep all uses here, and every use degrades to the default behaviour (with one
 * warning) if the internals are not there.
 */
final class SocketAccess {

  private static final Logger LOG = LoggerFactory.getLogger(SocketAccess.class);
  private static final Field OUTBOUND_QUEUE;
  private static final Constructor<?> DIRECT_QUEUE;

  static {
    Field field = null;
    Constructor<?> constructor = null;
    try {
      Class<?> connection = Class.forName("io.vertx.core.net.impl.VertxConnection");
      field = connection.getDeclaredField("outboundMessageQueue");
      field.setAccessible(true);
      constructor = Class.forName(connection.getName() + "$DirectOutboundMessageQueue")
          .getDeclaredConstructor(connection);
      constructor.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("This Vert.x version has no replaceable per-socket write queue ({}); each"
          + " connection keeps Vert.x's default queue (about 4.7 KiB more heap per"
          + " connection)", e.toString());
      field = null;
      constructor = null;
    }
    OUTBOUND_QUEUE = field;
    DIRECT_QUEUE = constructor;
  }

  private SocketAccess() {
  }

  static NetSocketInternal internal(NetSocket socket) {
    return (NetSocketInternal) socket;
  }

  static ChannelHandlerContext channelContext(NetSocket socket) {
    return internal(socket).channelHandlerContext();
  }

  /**
   * Replaces the socket's multi-producer write queue by Vert.x's direct one, which writes on the
   * calling thread. Only valid when every write to the socket happens on its event loop: call it
   * on the event loop, before anything was written. Returns whether it was applied.
   */
  static boolean useEventLoopWriteQueue(NetSocket socket) {
    if (OUTBOUND_QUEUE == null || !channelContext(socket).executor().inEventLoop()) {
      return false;
    }
    try {
      OUTBOUND_QUEUE.set(socket, DIRECT_QUEUE.newInstance(socket));
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
