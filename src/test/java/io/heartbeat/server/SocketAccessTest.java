package io.heartbeat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Vert.x internals SocketAccess relies on are there in the pinned Vert.x, and a socket whose
 * write queue was swapped still writes and closes through the ordinary NetSocket API.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class SocketAccessTest {

  @Test
  void swappedWriteQueueStillWritesAndClosesThroughNetSocket(Vertx vertx, VertxTestContext ctx) {
    NetServer server = vertx.createNetServer();
    server.connectHandler(socket -> ctx.verify(() -> {
      assertTrue(SocketAccess.useEventLoopWriteQueue(socket),
          "the pinned Vert.x no longer has the internals SocketAccess replaces");
      socket.write(Buffer.buffer("hello")).onComplete(ctx.succeeding(v -> socket.close()));
    }));
    NetClient client = vertx.createNetClient();
    server.listen(0, "127.0.0.1").compose(s -> client.connect(s.actualPort(), "127.0.0.1"))
        .onComplete(ctx.succeeding(socket -> {
          Buffer received = Buffer.buffer();
          socket.handler(received::appendBuffer);
          socket.closeHandler(v -> ctx.verify(() -> {
            assertEquals("hello", received.toString());
            ctx.completeNow();
          }));
        }));
  }

  @Test
  void refusesToSwapOffTheEventLoop(Vertx vertx, VertxTestContext ctx) {
    NetServer server = vertx.createNetServer();
    server.connectHandler(socket -> vertx.executeBlocking(
            () -> SocketAccess.useEventLoopWriteQueue(socket))
        .onComplete(ctx.succeeding(applied -> ctx.verify(() -> {
          assertEquals(false, applied);
          ctx.completeNow();
        }))));
    NetClient client = vertx.createNetClient();
    server.listen(0, "127.0.0.1").compose(s -> client.connect(s.actualPort(), "127.0.0.1"))
        .onComplete(ctx.succeeding(s -> { }));
  }
}
