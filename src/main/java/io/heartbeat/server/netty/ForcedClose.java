package io.heartbeat.server.netty;

import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * Closes a Vert.x socket at once, dropping what is still queued for it.
 *
 * <p>Vert.x 5.0's {@code NetSocket.close()} queues the close behind every write not yet handed
 * to the kernel and closes only once they are: to a peer that stopped reading, that is never,
 * and the socket (and its file) would stay open for as long as the peer likes. Closing the
 * socket's channel is what a close must do then; only the internal API reaches it.
 */
public final class ForcedClose {

  private ForcedClose() {
  }

  /**
   * Closes {@code socket} now; its close handler runs as for any close. The close starts at
   * Vert.x's own handler context, so it passes by Vert.x's handler, which would queue it.
   */
  public static void closeNow(NetSocket socket) {
    ((NetSocketInternal) socket).channelHandlerContext().close();
  }
}
