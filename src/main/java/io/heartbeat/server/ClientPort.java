package io.heartbeat.server;

import io.vertx.core.Context;
import io.vertx.core.Future;

/**
 * One I/O instance's share of the client port: the edge that accepts its sockets and feeds
 * their bytes to {@link ConnectionCore}s. Two edges exist: {@link NetServerPort} (a Vert.x
 * {@code NetServer}, the default) and io.heartbeat.server.netty's lean listener. Each instance
 * gets its own object from the process's {@link Factory}.
 */
public interface ClientPort {

  /**
   * Starts handing accepted sockets to {@code acceptor}, on {@code context} (the instance's).
   * Completes with the port listened on, or fails with the bind or TLS error.
   */
  Future<Integer> open(Context context, Acceptor acceptor);

  /**
   * Stops handing sockets to this instance; the listening socket closes when the last instance
   * of the process closed its part. Sockets already accepted are the instance's to close.
   */
  Future<Void> close();

  /** Makes each I/O instance's part of one client port; one per process. */
  interface Factory {
    ClientPort newInstancePort();
  }
}
