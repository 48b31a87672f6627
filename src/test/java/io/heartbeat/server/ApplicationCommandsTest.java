package io.heartbeat.server;

import static io.heartbeat.testing.FrameClient.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.Commands;
import io.heartbeat.bus.ConnectionIds;
import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.testing.FrameClient;
import io.heartbeat.testing.FrameClient.Frame;
import io.heartbeat.testing.ServiceSettings;
import io.heartbeat.testing.ServiceTest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The application's commands on {@link Addresses#COMMAND}: send DATA and kick, carried out
 * whichever of the two I/O instances takes the request.
 *
 * <p>Both instances consume the command address and the event bus hands consecutive requests
 * to them in turn, so sending two requests per connection makes one of them take the
 * forwarding path to the instance that owns the connection. The tick is 10 s: no timeout can
 * close a connection during a test.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
@ServiceSettings("tickMs=10000")
class ApplicationCommandsTest extends ServiceTest {

  private static final JsonObject OK = new JsonObject().put("ok", true);

  /** A connected client and the id the server gave it. */
  private record Connected(FrameClient client, long id) {
  }

  @Test
  void sendsDataToEveryConnectionWhicheverInstanceTakesTheRequest(Vertx vertx,
      VertxTestContext ctx) {
    int clients = 6;
    Checkpoint delivered = ctx.checkpoint(clients);
    Map<Long, Integer> forwarded = countForwardedCommands(vertx);
    connect(vertx, clients).onComplete(ctx.succeeding(all -> {
      ctx.verify(() -> assertEquals(2, owners(all).size(),
          "the connections are spread over both I/O instances: " + all));
      for (Connected c : all) {
        Future<Message<JsonObject>> first = command(vertx, Commands.send(c.id, utf8("one")));
        Future<Message<JsonObject>> second = command(vertx, Commands.send(c.id, utf8("two")));
        Future.all(first, second, c.client.frames().at(1)).onComplete(ctx.succeeding(done ->
            ctx.verify(() -> {
              assertEquals(OK, first.result().body());
              assertEquals(OK, second.result().body());
              // The two requests take different paths, so their order is not promised.
              assertEquals(Set.of(new Frame(FrameType.DATA, utf8("one")),
                      new Frame(FrameType.DATA, utf8("two"))),
                  Set.copyOf(c.client.frames().snapshot()));
              assertEquals(2, c.client.frames().size());
              assertTrue(forwarded.getOrDefault(c.id, 0) >= 1,
                  "one of the two requests was forwarded to the owner: " + forwarded);
              delivered.flag();
            })));
      }
    }));
  }

  @Test
  void kickSendsGoodbyeKickedThenClosesWithReasonKicked(Vertx vertx, VertxTestContext ctx) {
    int clients = 4;
    Checkpoint kicked = ctx.checkpoint(clients);
    connect(vertx, clients).onComplete(ctx.succeeding(all -> {
      ctx.verify(() -> assertEquals(2, owners(all).size(), "both instances own connections"));
      for (Connected c : all) {
        Future<Message<JsonObject>> reply = command(vertx, Commands.kick(c.id));
        Future.all(reply, c.client.closed(), events.closed(c.id)).onComplete(ctx.succeeding(
            done -> ctx.verify(() -> {
              assertEquals(OK, reply.result().body());
              assertEquals(List.of(new Frame(FrameType.GOODBYE, utf8("kicked"))),
                  c.client.frames().snapshot(), "GOODBYE \"kicked\" before the close");
              assertEquals(LifecycleEvents.KICKED,
                  done.<JsonObject>resultAt(2).getString("reason"));
              kicked.flag();
            })));
      }
    }));
  }

  @Test
  void failsWithNotFoundForAConnectionThatDoesNotExist(Vertx vertx, VertxTestContext ctx) {
    // An id on a live instance, an id on an instance that does not exist, and a connection
    // that has just been kicked; each command twice, so both instances answer for each.
    Checkpoint notFound = ctx.checkpoint(3 * 3 * 2);
    connect(vertx, 1).onComplete(ctx.succeeding(one -> {
      long gone = one.get(0).id;
      command(vertx, Commands.kick(gone))
          .compose(r -> events.closed(gone))
          .onComplete(ctx.succeeding(closed -> {
            long[] unknown = {
                ConnectionIds.id(ConnectionIds.ioKey(0, 0), 1_000_000),
                ConnectionIds.id(ConnectionIds.ioKey(0, 200), 1),
                gone};
            for (long id : unknown) {
              for (JsonObject command : List.of(Commands.send(id, utf8("x")),
                  Commands.setAckPayload(id, utf8("x")), Commands.kick(id))) {
                for (int i = 0; i < 2; i++) {
                  command(vertx, command).onComplete(ctx.failing(error -> ctx.verify(() -> {
                    ReplyException reply = assertInstanceOf(ReplyException.class, error);
                    assertEquals(Commands.NOT_FOUND, reply.failureCode(), command + ": "
                        + reply.getMessage());
                    notFound.flag();
                  })));
                }
              }
            }
          }));
    }));
  }

  @Test
  void failsWithBadRequestForMalformedCommands(Vertx vertx, VertxTestContext ctx) {
    // Each twice, so that both the owner and the forwarding instance answer.
    Checkpoint badRequest = ctx.checkpoint(3 * 2);
    connect(vertx, 1).onComplete(ctx.succeeding(one -> {
      long id = one.get(0).id;
      List<JsonObject> malformed = List.of(
          new JsonObject().put("action", Commands.KICK),
          new JsonObject().put("action", "explode").put("id", id),
          new JsonObject().put("action", Commands.SEND).put("id", id).put("payload", "not*base64"));
      for (JsonObject command : malformed) {
        for (int i = 0; i < 2; i++) {
          command(vertx, command).onComplete(ctx.failing(error -> ctx.verify(() -> {
            ReplyException reply = assertInstanceOf(ReplyException.class, error);
            assertEquals(Commands.BAD_REQUEST, reply.failureCode(), command + ": "
                + reply.getMessage());
            badRequest.flag();
          })));
        }
      }
    }));
  }

  /** Counts, per connection id, application commands forwarded to the owning instance. */
  private static Map<Long, Integer> countForwardedCommands(Vertx vertx) {
    Map<Long, Integer> forwarded = new ConcurrentHashMap<>();
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      Object body = delivery.message().body();
      if (body instanceof JsonObject json && Commands.SEND.equals(json.getString("action"))
          && delivery.message().address().equals(Addresses.ownerOf(json.getLong("id")))) {
        forwarded.merge(json.getLong("id"), 1, Integer::sum);
      }
      delivery.next();
    });
    return forwarded;
  }

  private Future<List<Connected>> connect(Vertx vertx, int clients) {
    List<Future<Connected>> connected = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      connected.add(FrameClient.connect(vertx, service.port())
          .compose(c -> events.idOf(c).map(id -> new Connected(c, id))));
    }
    return Future.all(connected).map(all -> all.<Connected>list());
  }

  private static Set<Integer> owners(List<Connected> connections) {
    return connections.stream().map(c -> ConnectionIds.ioKeyOf(c.id)).collect(Collectors.toSet());
  }

  private static Future<Message<JsonObject>> command(Vertx vertx, JsonObject command) {
    return vertx.eventBus().request(Addresses.COMMAND, command);
  }
}
