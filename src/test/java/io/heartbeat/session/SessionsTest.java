package io.heartbeat.session;

import static io.heartbeat.testing.FrameClient.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.Commands;
import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.bus.Payloads;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.testing.FrameClient;
import io.heartbeat.testing.FrameClient.Frame;
import io.heartbeat.testing.ServiceSettings;
import io.heartbeat.testing.ServiceTest;
import io.heartbeat.testing.Window;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Protocol 1.1 sessions through real sockets on a 50 ms tick x 3: the granted interval and its
 * own window, takeover with GOODBYE replaced, presence, commands by client id, and a version 1
 * client beside them served as before.
 */
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class SessionsTest extends ServiceTest {

  private PresenceLog presence;

  @BeforeEach
  void listenToPresence(Vertx vertx, VertxTestContext ctx) {
    PresenceLog.listen(vertx).onComplete(ctx.succeeding(p -> {
      presence = p;
      ctx.completeNow();
    }));
  }

  @Test
  void welcomeGrantsTheRequestedIntervalRoundedUpToWholeTicks(Vertx vertx,
      VertxTestContext ctx) {
    FrameClient.connect(vertx, service.port()).compose(client ->
        SessionClients.open(client, "meter-1", 80, null).compose(welcome ->
            events.idOf(client).map(id -> {
              ctx.verify(() -> {
                assertEquals(100, welcome.intervalMs(), "80 ms is two ticks of 50");
                assertEquals(300, welcome.closeAfterMs(), "L = maxMissed x 2 = 6 ticks");
                assertEquals(50, welcome.tickMs());
                assertEquals(id, welcome.connectionId());
              });
              return welcome;
            })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aSilentSessionIsClosedInsideItsOwnWindowAfterGoodbyeTimeout(Vertx vertx,
      VertxTestContext ctx) {
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client ->
        SessionClients.open(client, "meter-2", 100, null).compose(welcome -> {
          long helloNanos = client.lastFrameSentNanos();
          return Future.all(client.closed(), events.idOf(client).compose(events::closed))
              .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
                Window own = new Window(config.tickMs(), config.maxMissed() * 2);
                own.assertClosedInside("session of 2 ticks", helloNanos, both.resultAt(0));
                JsonObject closed = both.resultAt(1);
                assertEquals(LifecycleEvents.TIMEOUT, closed.getString("reason"));
                assertEquals("meter-2", closed.getString("clientId"));
                assertEquals(6, closed.getInteger("missedTicks"));
                assertEquals(new Frame(FrameType.GOODBYE, utf8("timeout")),
                    client.frames().snapshot().get(1));
                ctx.completeNow();
              })));
        })));
  }

  @Test
  void aSessionHeartbeatingAtItsGrantedIntervalIsKeptLongAfterTheVersionOneWindow(Vertx vertx,
      VertxTestContext ctx) {
    // Granted 150 ms (3 ticks, window 9 ticks): heartbeats every 150 ms keep it for 30 ticks,
    // ten version 1 windows; a version 1 client at that pace would sit at its limit.
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client ->
        SessionClients.open(client, "meter-3", 150, null).compose(welcome -> {
          ctx.verify(() -> assertEquals(150, welcome.intervalMs()));
          return client.sendEvery(welcome.intervalMs(), 10, FrameType.HEARTBEAT, i -> null);
        }).onComplete(ctx.succeeding(sent -> ctx.verify(() -> {
          assertEquals(10, sent, "closed while heartbeating at the granted interval");
          assertFalse(client.isClosed());
          ctx.completeNow();
        })))));
  }

  @Test
  void aNewSessionWithTheSameClientIdReplacesTheOldConnection(Vertx vertx,
      VertxTestContext ctx) {
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(old ->
        SessionClients.open(old, "phone-9", 0, null)
            .compose(w -> FrameClient.connect(vertx, service.port()))
            .compose(fresh -> SessionClients.open(fresh, "phone-9", 0, null)
                .compose(w -> Future.all(old.closed(), events.idOf(old).compose(events::closed)))
                .onComplete(ctx.succeeding(closed -> ctx.verify(() -> {
                  List<Frame> frames = old.frames().snapshot();
                  assertEquals(new Frame(FrameType.GOODBYE, utf8("replaced")),
                      frames.get(frames.size() - 1));
                  JsonObject event = closed.resultAt(1);
                  assertEquals(LifecycleEvents.REPLACED, event.getString("reason"));
                  assertEquals("phone-9", event.getString("clientId"));
                  assertFalse(fresh.isClosed(), "the new connection is kept");
                  assertEquals(1, presence.onlineCount("phone-9"), "one online");
                  assertEquals(0, presence.offlineCount("phone-9"), "no offline on a takeover");
                  ctx.completeNow();
                }))))));
  }

  @Test
  void aClientGoesOfflineWhenTheConnectionHoldingItsIdCloses(Vertx vertx,
      VertxTestContext ctx) {
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client ->
        SessionClients.open(client, "tv-4", 0, null)
            .compose(w -> presence.online.first(e -> "tv-4".equals(e.getString("clientId"))))
            .compose(online -> {
              ctx.verify(() -> {
                assertEquals(service.node(), online.getInteger("node"));
                assertEquals(50L, online.getLong("intervalMs"));
              });
              client.close();
              return presence.offline.first(e -> "tv-4".equals(e.getString("clientId")))
                  .map(offline -> new JsonObject().put("online", online).put("offline", offline));
            })
            .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
              JsonObject offline = both.getJsonObject("offline");
              assertEquals(both.getJsonObject("online").getLong("connectionId"),
                  offline.getLong("connectionId"));
              assertEquals(LifecycleEvents.PEER_CLOSED, offline.getString("reason"));
              assertTrue(offline.getLong("sinceLastFrameMs") >= 0);
              ctx.completeNow();
            })))));
  }

  @Test
  void commandsNameAClientIdInsteadOfAConnectionId(Vertx vertx, VertxTestContext ctx) {
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client ->
        SessionClients.open(client, "sensor-5", 0, null)
            .compose(w -> vertx.eventBus().<JsonObject>request(Addresses.COMMAND,
                new JsonObject().put(Commands.ACTION, Commands.SEND).put("clientId", "sensor-5")
                    .put("payload", Payloads.encode(utf8("hi")))))
            .compose(reply -> client.frames().first(f -> f.type() == FrameType.DATA))
            .compose(data -> {
              ctx.verify(() -> assertEquals("hi", data.text()));
              return vertx.eventBus().<JsonObject>request(Addresses.COMMAND,
                  new JsonObject().put(Commands.ACTION, Commands.KICK).put("clientId", "nobody"));
            })
            .onComplete(ar -> ctx.verify(() -> {
              assertTrue(ar.failed(), "an unknown client id is refused");
              assertEquals(Commands.NOT_FOUND, ((ReplyException) ar.cause()).failureCode());
              ctx.completeNow();
            }))));
  }

  @Test
  void aVersionOneClientBesideSessionsIsAckedAndHasNoClientId(Vertx vertx,
      VertxTestContext ctx) {
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(v1 -> {
      v1.heartbeat();
      v1.frames().at(0).compose(ack -> {
        ctx.verify(() -> assertEquals(new Frame(FrameType.HEARTBEAT_ACK, new byte[0]), ack));
        return events.idOf(v1).compose(events::closed);
      }).onComplete(ctx.succeeding(closed -> ctx.verify(() -> {
        assertEquals(LifecycleEvents.TIMEOUT, closed.getString("reason"));
        assertNull(closed.getString("clientId"));
        window.assertInside("version 1 silence", closed.getLong("sinceLastFrameMs"),
            v1.lastFrameSentNanos(), System.nanoTime());
        ctx.completeNow();
      })));
    }));
  }

  @Test
  @ServiceSettings({"session.required=true"})
  void whenSessionsAreRequiredAVersionOneClientGetsGoodbyeUnauthorized(Vertx vertx,
      VertxTestContext ctx) {
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(v1 -> {
      v1.heartbeat();
      v1.closed().onComplete(ctx.succeeding(t -> ctx.verify(() -> {
        assertEquals(List.of(new Frame(FrameType.GOODBYE, utf8("unauthorized"))),
            v1.frames().snapshot(), "no ack: only the refusal");
        ctx.completeNow();
      })));
    }));
  }

  @Test
  @ServiceSettings({"session.flapMaxConnects=2", "session.flapWindowMs=60000",
      "session.flapBanMs=60000"})
  void aClientIdThatConnectsTooOftenIsRefusedWithGoodbyeFlapping(Vertx vertx,
      VertxTestContext ctx) {
    Future<Void> twice = FrameClient.connect(vertx, service.port())
        .compose(a -> SessionClients.open(a, "flappy", 0, null).compose(w -> a.close()))
        .compose(v -> FrameClient.connect(vertx, service.port()))
        .compose(b -> SessionClients.open(b, "flappy", 0, null).compose(w -> b.close()));
    twice.compose(v -> FrameClient.connect(vertx, service.port()))
        .onComplete(ctx.succeeding(third -> SessionClients.open(third, "flappy", 0, null)
            .onComplete(ar -> ctx.verify(() -> {
              assertTrue(ar.failed());
              assertEquals(new Frame(FrameType.GOODBYE, utf8("flapping")),
                  third.frames().snapshot().get(0));
              third.closed().onComplete(ctx.succeedingThenComplete());
            }))));
  }
}
