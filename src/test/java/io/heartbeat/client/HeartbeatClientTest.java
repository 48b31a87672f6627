package io.heartbeat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.HeartbeatService;
import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.Commands;
import io.heartbeat.bus.Payloads;
import io.heartbeat.config.ConfigException;
import io.heartbeat.config.HeartbeatConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client against the real service (tick 100 ms x 5: a window wide enough for a cold JVM's
 * first stalls) on port 0, and against hand-made servers for what the service never does (stay
 * mute, probe on accept).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 15, timeUnit = TimeUnit.SECONDS)
class HeartbeatClientTest {

  private static final long INITIAL_DELAY_MS = 20;
  private static final long MAX_DELAY_MS = 200;
  private static final long SHUTDOWN_JITTER_MS = 100;

  private final List<HeartbeatClient> clients = new ArrayList<>();
  private final List<DeadPort> deadPorts = new ArrayList<>();
  private HeartbeatService service;
  private int port;

  @BeforeEach
  void startServer(Vertx vertx, VertxTestContext ctx) {
    startService(vertx, 0).onComplete(ctx.succeeding(s -> {
      service = s;
      port = s.port();
      ctx.completeNow();
    }));
  }

  @AfterEach
  void closeClients(VertxTestContext ctx) {
    List<Future<Void>> closing = new ArrayList<>();
    for (HeartbeatClient client : clients) {
      closing.add(client.close());
    }
    deadPorts.forEach(DeadPort::close);
    Future.all(closing).onComplete(ctx.succeedingThenComplete());
  }

  private int deadPort() {
    DeadPort dead = DeadPort.bind();
    deadPorts.add(dead);
    return dead.port();
  }

  static Future<HeartbeatService> startService(Vertx vertx, int port) {
    try {
      return HeartbeatService.start(vertx, HeartbeatConfig.fromJson(new JsonObject()
          .put("host", "127.0.0.1").put("port", port).put("tickMs", 100).put("maxMissed", 5)
          .put("ioInstances", 1).put("configScanMs", 0)), null, 0);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
  }

  private HeartbeatClientOptions options(int serverPort) {
    return new HeartbeatClientOptions().setHost("127.0.0.1").setPort(serverPort)
        .setHeartbeatIntervalMs(50).setServerTimeoutMs(1000)
        .setReconnectInitialDelayMs(INITIAL_DELAY_MS).setReconnectMaxDelayMs(MAX_DELAY_MS)
        .setShutdownJitterMs(SHUTDOWN_JITTER_MS);
  }

  private HeartbeatClient client(Vertx vertx, HeartbeatClientOptions options) {
    HeartbeatClient client = HeartbeatClient.create(vertx, options, new Random(7)::nextDouble);
    clients.add(client);
    return client;
  }

  @Test
  void sendsHeartbeatsOnlyWhileTheLinkIsIdle(Vertx vertx, VertxTestContext ctx) {
    HeartbeatClient client = client(vertx, options(port).setHeartbeatIntervalMs(100)
        .setServerTimeoutMs(5000));
    vertx.eventBus().consumer(Addresses.CONNECTION_CLOSED,
        m -> ctx.failNow("server closed the connection: " + m.body()));
    int[] acks = {0};
    int[] acksWhileBusy = {-1};
    client.ackHandler(payload -> {
      acks[0]++;
      if (acks[0] == 3) {
        // Idle heartbeats work; now keep the link busy with DATA for four intervals.
        int before = acks[0];
        sendData(vertx, client, 40, ctx, () -> {
          acksWhileBusy[0] = acks[0] - before;
          ctx.verify(() -> assertTrue(acksWhileBusy[0] <= 1,
              "heartbeats were acked while DATA flowed: " + acksWhileBusy[0]));
        });
      } else if (acksWhileBusy[0] >= 0 && acks[0] >= 3 + acksWhileBusy[0] + 2) {
        ctx.completeNow();  // idle again: heartbeats resumed
      }
    });
    client.connect().onComplete(ctx.succeeding(ignored -> { }));
  }

  private void sendData(Vertx vertx, HeartbeatClient client, int count, VertxTestContext ctx,
      Runnable done) {
    if (count == 0) {
      done.run();
      return;
    }
    client.send(Buffer.buffer("busy")).onComplete(ctx.succeeding(v -> vertx.setTimer(10,
        t -> sendData(vertx, client, count - 1, ctx, done))));
  }

  @Test
  void detectsADeadServerAfterServerTimeout(Vertx vertx, VertxTestContext ctx) {
    Checkpoint done = ctx.checkpoint(2);
    FrameLog seenByMute = new FrameLog();
    NetServer mute = vertx.createNetServer();
    mute.connectHandler(socket -> {
      socket.handler(seenByMute::feed);
      socket.closeHandler(v -> {
        ctx.verify(() -> {
          assertTrue(seenByMute.count(0) >= 1, "no heartbeat reached the mute server");
          assertEquals(List.of(ClientSession.GOODBYE_SERVER_TIMEOUT), seenByMute.goodbyes());
        });
        done.flag();
      });
    });
    mute.listen(0, "127.0.0.1").onComplete(ctx.succeeding(server -> {
      HeartbeatClient client = client(vertx, options(server.actualPort())
          .setHeartbeatIntervalMs(50).setServerTimeoutMs(300));
      long[] connectedAt = {0};
      client.connectedHandler(v -> connectedAt[0] = System.nanoTime());
      client.disconnectedHandler(reason -> {
        long silentMs = (System.nanoTime() - connectedAt[0]) / 1_000_000;
        ctx.verify(() -> {
          assertEquals(DisconnectReason.Kind.SERVER_TIMEOUT, reason.kind(), reason.toString());
          assertTrue(silentMs >= 300, "judged dead after only " + silentMs + " ms");
        });
        done.flag();
      });
      client.connect().onComplete(ctx.succeeding(ignored -> { }));
    }));
  }

  @Test
  void reconnectsAfterServerRestartWithDelaysInsideTheBackoffBounds(Vertx vertx,
      VertxTestContext ctx) {
    HeartbeatClient client = client(vertx, options(port));
    List<ReconnectScheduled> scheduled = new ArrayList<>();
    int[] connections = {0};
    client.reconnectScheduledHandler(event -> {
      scheduled.add(event);
      ctx.verify(() -> {
        assertTrue(event.delayMs() >= 0 && event.delayMs() <= event.boundMs(), event.toString());
        if (event.attempt() == 1) {
          assertEquals("goodbye:shutdown", event.cause());
          assertEquals(SHUTDOWN_JITTER_MS, event.boundMs(), "first return after a shutdown");
        } else {
          long expected = Math.min(MAX_DELAY_MS, INITIAL_DELAY_MS << (event.attempt() - 2));
          assertEquals(expected, event.boundMs(), event.toString());
          assertTrue(event.cause().startsWith("connect failed"), event.cause());
        }
      });
      if (event.attempt() == 4) {
        startService(vertx, port).onComplete(ctx.succeeding(s -> service = s));
      }
    });
    client.connectedHandler(v -> {
      connections[0]++;
      if (connections[0] > 1) {
        ctx.verify(() -> assertTrue(scheduled.size() >= 4, "attempts: " + scheduled));
        ctx.completeNow();
      }
    });
    // Stop once the server has registered the connection (the client's connect completes at the
    // handshake, possibly before the server's accept handler ran, and only registered
    // connections get a GOODBYE).
    boolean[] stopped = {false};
    vertx.eventBus().consumer(Addresses.CONNECTION_OPENED, m -> {
      if (!stopped[0]) {
        stopped[0] = true;
        service.stop().onComplete(ctx.succeeding(ignored -> { }));
      }
    }).completion().onComplete(ctx.succeeding(r -> client.connect()
        .onComplete(ctx.succeeding(ignored -> { }))));
  }

  @Test
  void stopsAfterGoodbyeKicked(Vertx vertx, VertxTestContext ctx) {
    HeartbeatClient client = client(vertx, options(port));
    client.reconnectScheduledHandler(e -> ctx.failNow("reconnect after kicked: " + e));
    client.disconnectedHandler(reason -> {
      ctx.verify(() -> assertTrue(reason.isGoodbye(DisconnectReason.GOODBYE_KICKED), "" + reason));
      Vertx.currentContext().runOnContext(v -> {
        ctx.verify(() -> {
          assertFalse(client.isConnected());
          assertEquals(0, client.pendingTimers());
        });
        ctx.completeNow();
      });
    });
    kickFirstConnection(vertx, ctx).onComplete(ctx.succeeding(v -> client.connect()));
  }

  @Test
  void reconnectsAfterGoodbyeKickedWhenAllowed(Vertx vertx, VertxTestContext ctx) {
    HeartbeatClient client = client(vertx, options(port).setReconnectAfterKicked(true));
    Checkpoint connected = ctx.checkpoint(2);
    client.connectedHandler(v -> connected.flag());
    kickFirstConnection(vertx, ctx).onComplete(ctx.succeeding(v -> client.connect()));
  }

  private Future<Void> kickFirstConnection(Vertx vertx, VertxTestContext ctx) {
    boolean[] kicked = {false};
    return vertx.eventBus().<JsonObject>consumer(Addresses.CONNECTION_OPENED, m -> {
      if (!kicked[0]) {
        kicked[0] = true;
        vertx.eventBus().request(Addresses.COMMAND, Commands.kick(m.body().getLong("id")))
            .onComplete(ctx.succeeding(ignored -> { }));
      }
    }).completion();
  }

  @Test
  void reportsGoodbyeTimeoutWhenSilentAndRetriesWithBackoff(Vertx vertx, VertxTestContext ctx) {
    HeartbeatClient client = client(vertx, options(port).setHeartbeatIntervalMs(0)
        .setServerTimeoutMs(0));
    Checkpoint done = ctx.checkpoint(2);
    client.disconnectedHandler(reason -> {
      ctx.verify(() -> assertTrue(reason.isGoodbye(DisconnectReason.GOODBYE_TIMEOUT), "" + reason));
      done.flag();
    });
    client.reconnectScheduledHandler(event -> {
      ctx.verify(() -> {
        assertEquals(1, event.attempt());
        assertEquals(INITIAL_DELAY_MS, event.boundMs());
      });
      client.reconnectScheduledHandler(null);
      done.flag();
    });
    client.connect().onComplete(ctx.succeeding(ignored -> { }));
  }

  @Test
  void answersAServerProbeWithAnAck(Vertx vertx, VertxTestContext ctx) {
    FrameLog seen = new FrameLog();
    NetServer prober = vertx.createNetServer();
    prober.connectHandler(socket -> {
      socket.handler(bytes -> {
        seen.feed(bytes);
        if (seen.count(2) == 1) {
          ctx.verify(() -> assertEquals(0, seen.count(0), "client sent a heartbeat"));
          ctx.completeNow();
        }
      });
      socket.write(Buffer.buffer(new byte[8]));  // HEARTBEAT, empty payload
    });
    prober.listen(0, "127.0.0.1").onComplete(ctx.succeeding(server -> client(vertx,
        options(server.actualPort()).setHeartbeatIntervalMs(0).setServerTimeoutMs(0))
        .connect().onComplete(ctx.succeeding(ignored -> { }))));
  }

  @Test
  void exchangesDataAndCarriesPayloadsOnHeartbeatsAndAcks(Vertx vertx, VertxTestContext ctx) {
    HeartbeatClient client = client(vertx, options(port));
    Checkpoint dataDown = ctx.checkpoint();
    Checkpoint ackPayload = ctx.checkpoint();
    Checkpoint dataUp = ctx.checkpoint();
    Checkpoint heartbeatPayload = ctx.checkpoint();
    boolean[] flagged = new boolean[3];
    vertx.eventBus().<JsonObject>consumer(Addresses.CONNECTION_OPENED, m -> {
      long id = m.body().getLong("id");
      vertx.eventBus().request(Addresses.COMMAND, Commands.setAckPayload(id, bytes("ack-data")))
          .compose(r -> vertx.eventBus().request(Addresses.COMMAND, Commands.send(id,
              bytes("down"))))
          .onComplete(ctx.succeeding(ignored -> { }));
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.CONNECTION_DATA, m -> {
      String payload = new String(Payloads.decode(m.body().getString("payload")),
          StandardCharsets.UTF_8);
      if ("DATA".equals(m.body().getString("type")) && !flagged[0]) {
        flagged[0] = true;
        ctx.verify(() -> assertEquals("up", payload));
        dataUp.flag();
      } else if ("HEARTBEAT".equals(m.body().getString("type")) && !flagged[1]) {
        flagged[1] = true;
        ctx.verify(() -> assertEquals("hb-data", payload));
        heartbeatPayload.flag();
      }
    });
    client.heartbeatPayloadSupplier(() -> Buffer.buffer("hb-data"));
    client.dataHandler(payload -> {
      ctx.verify(() -> assertEquals("down", payload.toString()));
      dataDown.flag();
      client.send(Buffer.buffer("up")).onComplete(ctx.succeeding(ignored -> { }));
    });
    client.ackHandler(payload -> {
      if (payload.length() > 0 && !flagged[2]) {
        flagged[2] = true;
        ctx.verify(() -> assertEquals("ack-data", payload.toString()));
        ackPayload.flag();
      }
    });
    client.connect().onComplete(ctx.succeeding(ignored -> { }));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void closeLeavesNoTimerAndNoSocketBehind(Vertx vertx, VertxTestContext ctx) {
    HeartbeatClient client = client(vertx, options(port));
    Checkpoint done = ctx.checkpoint(3);
    vertx.eventBus().<JsonObject>consumer(Addresses.CONNECTION_CLOSED, m -> {
      ctx.verify(() -> assertEquals("peer-closed", m.body().getString("reason")));
      done.flag();
    });
    client.disconnectedHandler(reason -> {
      ctx.verify(() -> assertEquals(DisconnectReason.Kind.CLOSED_BY_APPLICATION, reason.kind()));
      done.flag();
    });
    client.connect()
        .compose(v -> client.close())
        .onComplete(ctx.succeeding(v -> {
          ctx.verify(() -> {
            assertEquals(0, client.pendingTimers(), "timers left after close");
            assertFalse(client.isConnected());
          });
          client.send(Buffer.buffer("late")).onComplete(ctx.failing(e -> done.flag()));
        }));
  }

  @Test
  void closeWhileWaitingToReconnectCancelsTheTimer(Vertx vertx, VertxTestContext ctx) {
    int deadPort = deadPort();
    vertx.runOnContext(start -> {
      HeartbeatClient client = client(vertx, options(deadPort)
          .setReconnectInitialDelayMs(10_000).setReconnectMaxDelayMs(10_000));
      Future<Void> connecting = client.connect();
      client.reconnectScheduledHandler(event -> client.close().onComplete(ctx.succeeding(v -> {
        ctx.verify(() -> {
          assertEquals(0, client.pendingTimers(), "reconnect timer left after close");
          assertTrue(connecting.failed(), "connect() should fail once closed, was "
              + (connecting.succeeded() ? "succeeded: " + event : "pending"));
        });
        ctx.completeNow();
      })));
    });
  }

  @Test
  void givesUpAfterMaxReconnectAttempts(Vertx vertx, VertxTestContext ctx) {
    int deadPort = deadPort();
    vertx.runOnContext(start -> {
      HeartbeatClient client = client(vertx, options(deadPort).setMaxReconnectAttempts(3));
      int[] scheduled = {0};
      client.reconnectScheduledHandler(e -> scheduled[0]++);
      client.connect().onComplete(ctx.failing(error -> {
        ctx.verify(() -> {
          assertEquals(2, scheduled[0], "retries before giving up");
          assertEquals(0, client.pendingTimers());
        });
        ctx.completeNow();
      }));
    });
  }
}
