package io.heartbeat.server;

import static io.heartbeat.testing.FrameClient.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.Commands;
import io.heartbeat.bus.Payloads;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.testing.FrameClient;
import io.heartbeat.testing.FrameClient.Frame;
import io.heartbeat.testing.ServiceSettings;
import io.heartbeat.testing.ServiceTest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Heartbeat acks (on, off, carrying the application's payload) and the payloads the service
 * hands to the application. The tick is 10 s (no timeout can interfere) except where a test
 * shows that heartbeats keep a connection open.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
@ServiceSettings("tickMs=10000")
class AckAndPayloadTest extends ServiceTest {

  private static final Frame EMPTY_ACK = new Frame(FrameType.HEARTBEAT_ACK, new byte[0]);
  private static final JsonObject OK = new JsonObject().put("ok", true);

  @Test
  void acksEveryHeartbeatWithAnEmptyAck(Vertx vertx, VertxTestContext ctx) {
    int beats = 5;
    Checkpoint acked = ctx.checkpoint();
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client -> {
      for (int i = 0; i < beats; i++) {
        client.heartbeat();
      }
      client.frames().at(beats - 1).onComplete(ctx.succeeding(last -> ctx.verify(() -> {
        assertEquals(List.of(EMPTY_ACK, EMPTY_ACK, EMPTY_ACK, EMPTY_ACK, EMPTY_ACK),
            client.frames().snapshot());
        assertEquals(8L * beats, client.bytesReceived());
        acked.flag();
      })));
    }));
  }

  @Test
  @ServiceSettings({"ackHeartbeats=false", "tickMs=50"})
  void sendsNoAckButStillCountsHeartbeatsWhenAcksAreOff(Vertx vertx, VertxTestContext ctx) {
    // Heartbeats every tick for four windows, then a DATA frame: once its event is published
    // every heartbeat before it has been read. Then the application sends a marker: any ack
    // written for those heartbeats would reach the client before it.
    int beats = 4 * (config.maxMissed() + 1);
    Checkpoint markerFirst = ctx.checkpoint();
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client ->
        events.idOf(client).onComplete(ctx.succeeding(id ->
            client.sendEvery(config.tickMs(), beats, FrameType.HEARTBEAT, n -> null)
                .compose(sent -> {
                  client.send(FrameType.DATA, utf8("last"));
                  return events.data(id).at(0);
                })
                .compose(data -> vertx.eventBus()
                    .<JsonObject>request(Addresses.COMMAND, Commands.send(id, utf8("marker"))))
                .compose(reply -> client.frames().at(0))
                .onComplete(ctx.succeeding(first -> ctx.verify(() -> {
                  assertEquals(new Frame(FrameType.DATA, utf8("marker")), first,
                      "no ack came before the application's marker");
                  assertEquals(8 + 6, client.bytesReceived());
                  assertFalse(client.isClosed(), "closed although it heartbeat every tick");
                  assertFalse(events.hasClosed(id));
                  markerFirst.flag();
                })))))));
  }

  @Test
  void acksCarryThePayloadTheApplicationSets(Vertx vertx, VertxTestContext ctx) {
    Checkpoint acked = ctx.checkpoint();
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client ->
        events.idOf(client).onComplete(ctx.succeeding(id -> {
          Function<Integer, Future<Frame>> beat = index -> {
            client.heartbeat();
            return client.frames().at(index);
          };
          beat.apply(0)
              .compose(ack -> {
                ctx.verify(() -> assertEquals(EMPTY_ACK, ack));
                return command(vertx, Commands.setAckPayload(id, utf8("pong")));
              })
              .compose(reply -> {
                ctx.verify(() -> assertEquals(OK, reply.body()));
                return beat.apply(1);
              })
              .compose(ack -> {
                ctx.verify(() -> assertEquals(new Frame(FrameType.HEARTBEAT_ACK, utf8("pong")),
                    ack));
                return beat.apply(2);
              })
              .compose(ack -> {
                ctx.verify(() -> assertEquals(new Frame(FrameType.HEARTBEAT_ACK, utf8("pong")),
                    ack, "the payload stays until changed"));
                return command(vertx, Commands.setAckPayload(id, new byte[0]));
              })
              .compose(reply -> beat.apply(3))
              .onComplete(ctx.succeeding(ack -> ctx.verify(() -> {
                assertEquals(EMPTY_ACK, ack, "an empty payload clears it");
                acked.flag();
              })));
        }))));
  }

  @Test
  void publishesHeartbeatPayloadsAndEveryDataFrame(Vertx vertx, VertxTestContext ctx) {
    Checkpoint published = ctx.checkpoint();
    byte[] binary = {0, 1, 2, (byte) 0xFF, 'z'};
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client ->
        events.idOf(client).onComplete(ctx.succeeding(id -> {
          client.heartbeat();
          client.send(FrameType.HEARTBEAT, utf8("riding"));
          client.send(FrameType.DATA, new byte[0]);
          client.send(FrameType.DATA, binary);
          client.send(FrameType.DATA, utf8("end"));
          events.data(id).at(3).onComplete(ctx.succeeding(last -> ctx.verify(() -> {
            // The empty heartbeat came first: had it been published it would lead the list.
            assertEquals(List.of(
                dataEvent(id, "HEARTBEAT", utf8("riding")),
                dataEvent(id, "DATA", new byte[0]),
                dataEvent(id, "DATA", binary),
                dataEvent(id, "DATA", utf8("end"))), events.data(id).snapshot());
            published.flag();
          })));
        }))));
  }

  private static JsonObject dataEvent(long id, String type, byte[] payload) {
    return new JsonObject().put("id", id).put("type", type).put("payload",
        Payloads.encode(payload));
  }

  private static Future<Message<JsonObject>> command(Vertx vertx, JsonObject command) {
    return vertx.eventBus().request(Addresses.COMMAND, command);
  }
}
