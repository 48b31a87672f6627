package io.heartbeat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.HeartbeatService;
import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.Commands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A server list: failover within a pass, one backoff step per failed pass, the next server after
 * a lost connection; and a stopped client (kicked, or given up) started again.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ServerListClientTest {

  private static final long INITIAL_DELAY_MS = 20;

  private final List<HeartbeatClient> clients = new ArrayList<>();
  private final List<Vertx> others = new ArrayList<>();
  private final List<DeadPort> deadPorts = new ArrayList<>();

  @AfterEach
  void close(VertxTestContext ctx) {
    List<Future<Void>> closing = new ArrayList<>();
    clients.forEach(c -> closing.add(c.close()));
    others.forEach(v -> closing.add(v.close()));
    deadPorts.forEach(DeadPort::close);
    Future.all(closing).onComplete(ctx.succeedingThenComplete());
  }

  private HeartbeatClient client(Vertx vertx, HeartbeatClientOptions options) {
    HeartbeatClient client = HeartbeatClient.create(vertx, options.setHeartbeatIntervalMs(50)
        .setServerTimeoutMs(1000).setReconnectInitialDelayMs(INITIAL_DELAY_MS)
        .setReconnectMaxDelayMs(1000).setShutdownJitterMs(50), new Random(5)::nextDouble);
    clients.add(client);
    return client;
  }

  private Future<ServerAddress> deadServer(Vertx vertx) {
    DeadPort dead = DeadPort.bind();
    deadPorts.add(dead);
    return Future.succeededFuture(new ServerAddress("127.0.0.1", dead.port()));
  }

  private static Future<ServerAddress> liveServer(Vertx vertx) {
    return HeartbeatClientTest.startService(vertx, 0)
        .map(s -> new ServerAddress("127.0.0.1", s.port()));
  }

  @Test
  void aRefusedServerIsFollowedAtOnceByTheNextOneInTheSamePass(Vertx vertx,
      VertxTestContext ctx) {
    Future.all(deadServer(vertx), liveServer(vertx)).onComplete(ctx.succeeding(both -> {
      ServerAddress dead = both.resultAt(0);
      ServerAddress live = both.resultAt(1);
      HeartbeatClient client = client(vertx, new HeartbeatClientOptions()
          .setServers(List.of(dead, live)));
      client.reconnectScheduledHandler(e -> ctx.failNow("waited within a pass: " + e));
      client.connectionOpenedHandler(opened -> ctx.verify(() -> {
        assertEquals(new ConnectionOpened(live, 1, false, 1), opened);
        ctx.completeNow();
      }));
      client.connect().onComplete(ctx.succeeding(v -> { }));
    }));
  }

  @Test
  void waitsOneBackoffStepPerFailedPassOverTheWholeList(Vertx vertx, VertxTestContext ctx) {
    Future.all(deadServer(vertx), deadServer(vertx), deadServer(vertx))
        .onComplete(ctx.succeeding(all -> {
          List<ServerAddress> dead = all.list();
          HeartbeatClient client = client(vertx, new HeartbeatClientOptions().setServers(dead)
              .setMaxReconnectAttempts(3));
          List<ReconnectScheduled> waits = new ArrayList<>();
          client.reconnectScheduledHandler(waits::add);
          client.connect().onComplete(ctx.failing(e -> ctx.verify(() -> {
            // 3 passes of 3 servers: a wait after the first two, then it gives up.
            assertEquals(2, waits.size(), waits.toString());
            for (int i = 0; i < waits.size(); i++) {
              ReconnectScheduled wait = waits.get(i);
              assertEquals(i + 2, wait.attempt(), "the pass that follows the wait: " + wait);
              assertEquals(INITIAL_DELAY_MS << i, wait.boundMs(), "one step per pass: " + wait);
              assertTrue(wait.delayMs() >= 0 && wait.delayMs() <= wait.boundMs(), "" + wait);
              for (ServerAddress server : dead) {
                assertTrue(wait.cause().contains(server + ": "), server + " not tried: " + wait);
              }
            }
            assertEquals(0, client.pendingTimers());
            ctx.completeNow();
          })));
        }));
  }

  @Test
  void afterALostConnectionThePassStartsWithTheNextServer(Vertx vertx, VertxTestContext ctx) {
    // Two real services on two Vert.x instances, so their event buses do not mix.
    Vertx second = Vertx.vertx();
    others.add(second);
    Future<HeartbeatService> first = HeartbeatClientTest.startService(vertx, 0);
    Future.all(first, HeartbeatClientTest.startService(second, 0))
        .onComplete(ctx.succeeding(both -> {
          ServerAddress a = new ServerAddress("127.0.0.1", first.result().port());
          ServerAddress b = new ServerAddress("127.0.0.1",
              both.<HeartbeatService>resultAt(1).port());
          HeartbeatClient client = client(vertx, new HeartbeatClientOptions()
              .setServers(List.of(a, b)));
          List<ConnectionOpened> opened = new ArrayList<>();
          client.connectionOpenedHandler(c -> {
            opened.add(c);
            if (opened.size() == 2) {
              ctx.verify(() -> assertEquals(List.of(new ConnectionOpened(a, 0, false, 1),
                  new ConnectionOpened(b, 1, true, 2)), opened));
              ctx.completeNow();
            }
          });
          // Stop the first service once it has registered the connection: GOODBYE "shutdown".
          vertx.eventBus().consumer(Addresses.CONNECTION_OPENED,
              m -> first.result().stop().onComplete(ctx.succeeding(v -> { })))
              .completion().onComplete(ctx.succeeding(v -> client.connect()));
        }));
  }

  @Test
  void aKickedClientStartsAgainAndReportsAReconnect(Vertx vertx, VertxTestContext ctx) {
    liveServer(vertx).onComplete(ctx.succeeding(live -> {
      HeartbeatClient client = client(vertx, new HeartbeatClientOptions()
          .setServers(List.of(live)));
      Checkpoint restarted = ctx.checkpoint();
      List<ConnectionOpened> opened = new ArrayList<>();
      client.connectionOpenedHandler(opened::add);
      client.reconnectScheduledHandler(e -> ctx.failNow("reconnect after kicked: " + e));
      client.disconnectedHandler(reason -> {
        if (!reason.isGoodbye(DisconnectReason.GOODBYE_KICKED)) {
          return;
        }
        ctx.verify(() -> assertFalse(client.isConnected()));
        client.connect().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(List.of(new ConnectionOpened(live, 0, false, 1),
              new ConnectionOpened(live, 0, true, 2)), opened);
          assertTrue(client.isConnected());
          restarted.flag();
        })));
      });
      boolean[] kicked = {false};
      vertx.eventBus().<JsonObject>consumer(Addresses.CONNECTION_OPENED, m -> {
        if (!kicked[0]) {
          kicked[0] = true;
          vertx.eventBus().request(Addresses.COMMAND, Commands.kick(m.body().getLong("id")))
              .onComplete(ctx.succeeding(r -> { }));
        }
      }).completion().onComplete(ctx.succeeding(v -> client.connect()));
    }));
  }

  @Test
  void aClientThatGaveUpStartsAgainOnConnect(Vertx vertx, VertxTestContext ctx) {
    DeadPort dead = DeadPort.bind();
    deadPorts.add(dead);
    int port = dead.port();
    vertx.runOnContext(start -> {
      HeartbeatClient client = client(vertx, new HeartbeatClientOptions()
          .setHost("127.0.0.1").setPort(port).setMaxReconnectAttempts(2));
      client.connect().transform(firstRun -> {
        ctx.verify(() -> {
          assertTrue(firstRun.failed(), "the first run should have given up");
          assertFalse(client.isConnected());
        });
        dead.close();
        return HeartbeatClientTest.startService(vertx, port);
      }).compose(service -> client.connect()).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertTrue(client.isConnected());
        ctx.completeNow();
      })));
    });
  }
}
