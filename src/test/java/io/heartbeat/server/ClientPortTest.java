package io.heartbeat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.config.ConfigException;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.testing.FrameClient;
import io.heartbeat.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client port is one listening socket per process, shared by the I/O instances: it serves
 * while any instance is up, is closed when the last one stops (the port is free for the next
 * process) and a port that is taken fails the start with one line saying how to fix it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ClientPortTest {

  private static JsonObject settings() {
    return TestServices.defaults().put("ioInstances", 2).put("tickMs", 1000)
        .put("maxMissed", 10);
  }

  @Test
  void thePortIsFreeAgainOnceTheServiceStopped(Vertx vertx, VertxTestContext ctx) {
    int[] port = {-1};
    TestServices.start(vertx, settings())
        .compose(service -> {
          port[0] = service.port();
          // Served while up: a heartbeat is acked through the shared listener.
          return FrameClient.connect(vertx, port[0]).compose(client -> {
            Promise<Void> acked = Promise.promise();
            client.onFrame(f -> {
              if (f.type() == FrameType.HEARTBEAT_ACK) {
                acked.tryComplete();
              }
            });
            client.heartbeat();
            return acked.future();
          }).compose(v -> service.stop());
        })
        .compose(v -> FrameClient.connect(vertx, port[0])
            .transform(ar -> Future.succeededFuture(ar.cause())))
        .compose(refused -> {
          ctx.verify(() -> assertInstanceOf(ConnectException.class, refused,
              "a connection after stop was not refused: " + refused));
          NetServer next = vertx.createNetServer().connectHandler(s -> { });
          return next.listen(port[0], "127.0.0.1");
        })
        .onComplete(ctx.succeeding(server -> ctx.verify(() -> {
          assertEquals(port[0], server.actualPort());
          ctx.completeNow();
        })));
  }

  @Test
  void aPortInUseFailsTheStartWithOneLineNamingThePortAndTheFix(Vertx vertx,
      VertxTestContext ctx) {
    NetServer squatter = vertx.createNetServer().connectHandler(s -> { });
    squatter.listen(0, "127.0.0.1")
        .compose(s -> TestServices.start(vertx, settings().put("host", "127.0.0.1")
            .put("port", s.actualPort())))
        .onComplete(ctx.failing(error -> ctx.verify(() -> {
          ConfigException e = assertInstanceOf(ConfigException.class, error);
          String line = e.getMessage();
          assertTrue(line.startsWith("Cannot listen on 127.0.0.1:" + squatter.actualPort()),
              line);
          assertTrue(line.contains("choose another with \"port\""), line);
          assertFalse(line.contains("\n"), "more than one line: " + line);
          ctx.completeNow();
        })));
  }
}
