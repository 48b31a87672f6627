package io.heartbeat.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Test helper: a loopback port nothing listens on, bound by a plain Vert.x server that is then
 * closed. Plain, because a stopped service's port was seen to accept connections for a moment
 * after its stop() completed.
 */
final class DeadPort {

  private DeadPort() {
  }

  static Future<Integer> open(Vertx vertx) {
    return vertx.createNetServer().connectHandler(socket -> socket.close())
        .listen(0, "127.0.0.1").compose(s -> {
          int port = s.actualPort();
          return s.close().map(v -> port);
        });
  }
}
