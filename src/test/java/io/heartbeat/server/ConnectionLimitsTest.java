package io.heartbeat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heartbeat.HeartbeatService;
import io.heartbeat.bus.Addresses;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.testing.FrameClient;
import io.heartbeat.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ConnectionLimitsTest {

  private static Future<HeartbeatService> start(Vertx vertx, JsonObject settings) throws Exception {
    return HeartbeatService.start(vertx, HeartbeatConfig.fromJson(settings
        .put("port", 0).put("ioEdge", TestServices.ioEdge())
        .put("tickMs", 1000).put("ioInstances", 2)), null, 0);
  }

  /** Opens n connections and completes once the server announced all n as opened. */
  private static Future<List<FrameClient>> openAccepted(Vertx vertx, int port, int n) {
    AtomicInteger opened = new AtomicInteger();
    io.vertx.core.Promise<Void> all = io.vertx.core.Promise.promise();
    var consumer = vertx.eventBus().consumer(Addresses.CONNECTION_OPENED, m -> {
      if (opened.incrementAndGet() == n) {
        all.tryComplete();
      }
    });
    // Only these n connections are being opened while this consumer listens.
    return consumer.completion().compose(v -> {
      List<Future<FrameClient>> clients = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        clients.add(FrameClient.connect(vertx, port));
      }
      return Future.all(clients).compose(cf -> all.future()).map(x -> {
        consumer.unregister();
        List<FrameClient> out = new ArrayList<>();
        clients.forEach(c -> out.add(c.result()));
        return out;
      });
    });
  }

  /** Closes the given clients and completes once the server reported each of them closed. */
  private static Future<Void> closeAndWait(Vertx vertx, List<FrameClient> clients) {
    java.util.Set<String> waiting = java.util.concurrent.ConcurrentHashMap.newKeySet();
    clients.forEach(c -> waiting.add(c.localAddress()));
    io.vertx.core.Promise<Void> all = io.vertx.core.Promise.promise();
    var consumer = vertx.eventBus().<JsonObject>consumer(Addresses.CONNECTION_CLOSED, m -> {
      if (waiting.remove(m.body().getString("remoteAddress")) && waiting.isEmpty()) {
        all.tryComplete();
      }
    });
    return consumer.completion().compose(v -> {
      clients.forEach(c -> c.close());
      return all.future().onComplete(x -> consumer.unregister());
    });
  }

  @Test
  void closesConnectionsOverMaxConnectionsAndFreesRoomOnEveryCloseTwiceInARow(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    start(vertx, new JsonObject().put("maxConnections", 3)).compose(service -> {
      int port = service.port();
      return cycle(vertx, port).compose(v -> cycle(vertx, port));
    }).onComplete(ctx.succeedingThenComplete());
  }

  /** Fill to the limit, see the next one refused, free 2, take 2 again, then free all. */
  private Future<Void> cycle(Vertx vertx, int port) {
    return openAccepted(vertx, port, 3).compose(full -> FrameClient.connect(vertx, port)
        .compose(extra -> extra.closed())
        .compose(v -> closeAndWait(vertx, full.subList(0, 2)))
        .compose(v -> openAccepted(vertx, port, 2))
        .compose(again -> {
          List<FrameClient> all = new ArrayList<>(again);
          all.add(full.get(2));
          return closeAndWait(vertx, all);
        }));
  }

  @Test
  void limitsConnectionsPerSourceAddressWithoutAffectingOtherAddresses(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    start(vertx, new JsonObject().put("maxConnectionsPerIp", 2)).compose(service -> {
      int port = service.port();
      NetClientOptions second = new NetClientOptions().setLocalAddress("127.0.0.2");
      return openAccepted(vertx, port, 2)
          .compose(two -> FrameClient.connect(vertx, port).compose(extra -> extra.closed())
              .compose(v -> FrameClient.connect(vertx, port, second))
              .compose(other -> {
                // The other address is still served: a heartbeat is answered.
                io.vertx.core.Promise<Void> acked = io.vertx.core.Promise.promise();
                other.onFrame(f -> ctx.verify(() -> {
                  assertEquals(io.heartbeat.protocol.FrameType.HEARTBEAT_ACK, f.type());
                  acked.tryComplete();
                }));
                other.send(io.heartbeat.protocol.FrameType.HEARTBEAT, null);
                return acked.future();
              })
              .compose(v -> closeAndWait(vertx, two))
              .compose(v -> openAccepted(vertx, port, 2)))
          .mapEmpty();
    }).onComplete(ctx.succeedingThenComplete());
  }
}
