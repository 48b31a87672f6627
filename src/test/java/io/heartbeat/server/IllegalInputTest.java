package io.heartbeat.server;

import static io.heartbeat.testing.FrameClient.concat;
import static io.heartbeat.testing.FrameClient.frameBytes;
import static io.heartbeat.testing.FrameClient.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.bus.Payloads;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.testing.FrameClient;
import io.heartbeat.testing.FrameClient.Frame;
import io.heartbeat.testing.ServiceSettings;
import io.heartbeat.testing.ServiceTest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Illegal input closes the connection at once and sends nothing back, in both byte orders.
 *
 * <p>The tick is 10 s, so no timeout can close a connection within a test: every close seen
 * here is the protocol-error path, without any assertion on speed.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
@ServiceSettings({"tickMs=10000", "maxPayloadBytes=" + IllegalInputTest.MAX_PAYLOAD})
class IllegalInputTest {

  static final int MAX_PAYLOAD = 1024;

  /** Illegal headers: name, type, length (written in the server's byte order). */
  static Stream<Arguments> illegalHeaders() {
    return Stream.of(
        Arguments.of("unknown type 4", 4, 0),
        Arguments.of("unknown type -1", -1, 0),
        Arguments.of("unknown type Integer.MIN_VALUE", Integer.MIN_VALUE, 0),
        Arguments.of("negative length", FrameType.HEARTBEAT, -1),
        Arguments.of("length maxPayloadBytes + 1", FrameType.DATA, MAX_PAYLOAD + 1),
        Arguments.of("length Integer.MAX_VALUE", FrameType.DATA, Integer.MAX_VALUE));
  }

  /** A header written as raw bytes, independently of the production encoder. */
  static byte[] rawHeader(ByteOrder order, int type, int length) {
    return ByteBuffer.allocate(8).order(order).putInt(type).putInt(length).array();
  }

  static ByteOrder other(ByteOrder order) {
    return order == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
  }

  @Nested
  class LittleEndianServer extends IllegalInputCases {
    @Override
    ByteOrder order() {
      return ByteOrder.LITTLE_ENDIAN;
    }
  }

  @Nested
  @ServiceSettings("byteOrder=BIG_ENDIAN")
  class BigEndianServer extends IllegalInputCases {
    @Override
    ByteOrder order() {
      return ByteOrder.BIG_ENDIAN;
    }
  }

  /** The cases, run against a server in each byte order. */
  abstract static class IllegalInputCases extends ServiceTest {

    private static final Frame EMPTY_ACK = new Frame(FrameType.HEARTBEAT_ACK, new byte[0]);

    abstract ByteOrder order();

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.heartbeat.server.IllegalInputTest#illegalHeaders")
    void closesAtOnceWithoutReplyOnAnIllegalHeader(String name, int type, int length,
        Vertx vertx, VertxTestContext ctx) {
      expectSilentProtocolClose(vertx, ctx, rawHeader(order(), type, length), 0);
    }

    @Test
    void closesAtOnceWithoutReplyOnAnIllegalHeaderArrivingByteByByte(Vertx vertx,
        VertxTestContext ctx) {
      expectSilentProtocolClose(vertx, ctx, rawHeader(order(), 4, 0), 10);
    }

    @Test
    void rejectsADataFrameInTheOtherByteOrder(Vertx vertx, VertxTestContext ctx) {
      // DATA is type 1: read in the other order its type is 0x01000000, unknown.
      expectSilentProtocolClose(vertx, ctx,
          frameBytes(other(order()), FrameType.DATA, utf8("hello")), 0);
    }

    @Test
    void rejectsAHeartbeatWithPayloadInTheOtherByteOrder(Vertx vertx, VertxTestContext ctx) {
      // Type 0 reads the same in both orders, but length 1 reads as 0x01000000: too large.
      expectSilentProtocolClose(vertx, ctx,
          frameBytes(other(order()), FrameType.HEARTBEAT, utf8("x")), 0);
    }

    @Test
    void acksAnEmptyHeartbeatInEitherByteOrder(Vertx vertx, VertxTestContext ctx) {
      // Eight zero bytes are the same frame in both orders (PROTOCOL.md).
      Checkpoint acked = ctx.checkpoint();
      FrameClient.connect(vertx, service.port(), order()).onComplete(ctx.succeeding(client -> {
        client.writeRaw(frameBytes(other(order()), FrameType.HEARTBEAT, null));
        client.frames().at(0).onComplete(ctx.succeeding(ack -> ctx.verify(() -> {
          assertEquals(EMPTY_ACK, ack);
          acked.flag();
        })));
      }));
    }

    @Test
    void acksLegalFramesThatPrecedeAnIllegalOne(Vertx vertx, VertxTestContext ctx) {
      Checkpoint closed = ctx.checkpoint();
      byte[] input = concat(
          frameBytes(order(), FrameType.HEARTBEAT, null),
          frameBytes(order(), FrameType.HEARTBEAT, utf8("on-the-heartbeat")),
          frameBytes(order(), FrameType.DATA, utf8("data")),
          rawHeader(order(), 4, 0),
          frameBytes(order(), FrameType.HEARTBEAT, null));
      FrameClient.connect(vertx, service.port(), order()).onComplete(ctx.succeeding(client ->
          events.idOf(client).onComplete(ctx.succeeding(id -> {
            // One write: the server reads the legal frames and the illegal header together.
            client.writeRaw(input);
            Future.all(client.closed(), events.closed(id), events.data(id).at(1))
                .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
                  assertEquals(List.of(EMPTY_ACK, EMPTY_ACK), client.frames().snapshot(),
                      "both heartbeats before the illegal header acked; nothing after it");
                  assertEquals(16, client.bytesReceived(), "two acks and not one byte more");
                  assertEquals(LifecycleEvents.PROTOCOL_ERROR,
                      all.<JsonObject>resultAt(1).getString("reason"));
                  JsonObject data = all.resultAt(2);
                  assertEquals("DATA", data.getString("type"));
                  assertEquals(Payloads.encode(utf8("data")), data.getString("payload"));
                  closed.flag();
                })));
          }))));
    }

    /**
     * Connects, writes {@code input} (all at once, or one byte per {@code dripMs} when above 0)
     * and expects the server to close with reason protocol-error, having sent nothing.
     */
    private void expectSilentProtocolClose(Vertx vertx, VertxTestContext ctx, byte[] input,
        long dripMs) {
      Checkpoint closed = ctx.checkpoint();
      FrameClient.connect(vertx, service.port(), order()).onComplete(ctx.succeeding(client ->
          events.idOf(client).onComplete(ctx.succeeding(id -> {
            if (dripMs > 0) {
              client.drip(input, dripMs);
            } else {
              client.writeRaw(input);
            }
            Future.all(client.closed(), events.closed(id)).onComplete(ctx.succeeding(both ->
                ctx.verify(() -> {
                  assertEquals(0, client.bytesReceived(),
                      "no reply and no GOODBYE on illegal input");
                  assertNull(client.illegalReply());
                  assertEquals(LifecycleEvents.PROTOCOL_ERROR,
                      both.<JsonObject>resultAt(1).getString("reason"));
                  closed.flag();
                })));
          }))));
    }
  }
}
