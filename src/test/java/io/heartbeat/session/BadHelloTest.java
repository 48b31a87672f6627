package io.heartbeat.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.testing.FrameClient;
import io.heartbeat.testing.ServiceTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed or misplaced session frame, through a real socket: the connection is closed
 * at once as a protocol error and not one byte is sent back.
 */
@Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
class BadHelloTest extends ServiceTest {

  /** A HELLO frame with these raw fields; {@code length} -1 means the exact 8 + N + M. */
  private static byte[] hello(int intervalMs, int n, int m, byte[] id, byte[] token,
      int length) {
    ByteBuf payload = Unpooled.buffer().writeIntLE(intervalMs).writeShortLE(n).writeShortLE(m)
        .writeBytes(id).writeBytes(token);
    int declared = length < 0 ? payload.readableBytes() : length;
    ByteBuf frame = Unpooled.buffer().writeIntLE(FrameType.HELLO).writeIntLE(declared)
        .writeBytes(payload);
    return ByteBufUtil.getBytes(frame);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static Stream<Arguments> badInput() {
    byte[] id = ascii("dev");
    byte[] longId = new byte[129];
    java.util.Arrays.fill(longId, (byte) 'a');
    byte[] heartbeat = FrameClient.frameBytes(ByteOrder.LITTLE_ENDIAN, FrameType.HEARTBEAT, null);
    byte[] goodHello = hello(0, 3, 0, id, new byte[0], -1);
    return Stream.of(
        Arguments.of("N = 0", hello(0, 0, 0, new byte[0], new byte[0], -1)),
        Arguments.of("N > 128", hello(0, 129, 0, longId, new byte[0], -1)),
        Arguments.of("M above auth.maxTokenBytes", hello(0, 3, 4097, id, new byte[4097], -1)),
        Arguments.of("length below 8 + N + M", hello(0, 3, 0, id, new byte[0], 10)),
        Arguments.of("length above 8 + N + M", FrameClient.concat(
            hello(0, 3, 0, id, new byte[0], 12), new byte[1])),
        Arguments.of("negative interval", hello(-1, 3, 0, id, new byte[0], -1)),
        Arguments.of("control character in the id", hello(0, 3, 0, ascii("d\nv"), new byte[0],
            -1)),
        Arguments.of("invalid UTF-8 in the id", hello(0, 3, 0,
            new byte[] {'d', (byte) 0xC3, 'v'}, new byte[0], -1)),
        Arguments.of("HELLO not first", FrameClient.concat(heartbeat, goodHello)),
        Arguments.of("a second HELLO", FrameClient.concat(goodHello, goodHello)),
        Arguments.of("WELCOME from a client", FrameClient.frameBytes(ByteOrder.LITTLE_ENDIAN,
            FrameType.WELCOME, new byte[20])));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInput")
  void isClosedAsAProtocolErrorWithNothingSentBack(String what, byte[] bytes, Vertx vertx,
      VertxTestContext ctx) {
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client -> {
      client.writeRaw(bytes);
      Future.all(client.closed(), events.idOf(client).compose(events::closed))
          .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
            // Nothing comes back for the bad frame. Only the ack of a HEARTBEAT sent before it,
            // or the WELCOME of a valid first HELLO when the second one arrived in a later read
            // (the session may open in between), answers a legal frame.
            long received = client.bytesReceived();
            if (what.equals("HELLO not first")) {
              assertEquals(8, received, what + ": bytes sent back");
            } else if (what.equals("a second HELLO")) {
              assertTrue(received == 0 || received == 28, what + ": " + received
                  + " bytes sent back, expected none or the first HELLO's WELCOME (28)");
            } else {
              assertEquals(0, received, what + ": bytes sent back");
            }
            assertEquals(LifecycleEvents.PROTOCOL_ERROR,
                ((io.vertx.core.json.JsonObject) both.resultAt(1)).getString("reason"), what);
            ctx.completeNow();
          })));
    }));
  }
}
