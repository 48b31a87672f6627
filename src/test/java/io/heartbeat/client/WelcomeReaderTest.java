package io.heartbeat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.protocol.FrameDecoder;
import io.heartbeat.protocol.FrameEncoder;
import io.heartbeat.protocol.FrameHandler;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.IllegalFrameException;
import io.heartbeat.protocol.Welcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The session opening's reader, fed the same bytes in every chunk size, in both byte orders. */
class WelcomeReaderTest {

  private static final Welcome GRANT = new Welcome(600, 1800, 300, 1234567890123L);

  /** Records what reaches the decoder's handler and the reader's listener, in order. */
  private static final class Events implements FrameHandler, WelcomeReader.Listener {
    final List<String> seen = new ArrayList<>();

    @Override
    public void onFrame(int type, ByteBuf payload) {
      seen.add(FrameType.name(type) + ":" + payload.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void onIllegalFrame(IllegalFrameException verdict) {
      seen.add("illegal:" + verdict.getMessage());
    }

    @Override
    public void onWelcome(Welcome welcome) {
      seen.add("welcome:" + welcome);
    }

    @Override
    public void onMalformedWelcome(IllegalFrameException verdict) {
      seen.add("malformed:" + verdict.getMessage());
    }
  }

  private static List<String> read(byte[] stream, ByteOrder order, boolean awaitWelcome,
      int chunk) {
    Events events = new Events();
    FrameDecoder decoder = new FrameDecoder(order, 1024, events);
    WelcomeReader reader = new WelcomeReader(decoder, order, 1024, awaitWelcome, events);
    for (int at = 0; at < stream.length; at += chunk) {
      reader.feed(Unpooled.wrappedBuffer(stream, at, Math.min(chunk, stream.length - at)));
    }
    return events.seen;
  }

  private static byte[] stream(ByteOrder order, Object... frames) {
    FrameEncoder encoder = new FrameEncoder(order);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < frames.length; i += 2) {
      out.writeBytes(ByteBufUtil.getBytes(encoder.encode((Integer) frames[i],
          (byte[]) frames[i + 1])));
    }
    return out.toByteArray();
  }

  private static ByteOrder order(String name) {
    return "BIG_ENDIAN".equals(name) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
  void takesTheWelcomeOutAndPassesEveryOtherFrameThroughInEveryChunkSize(String orderName) {
    ByteOrder order = order(orderName);
    byte[] bytes = stream(order, FrameType.DATA, "early".getBytes(StandardCharsets.UTF_8),
        FrameType.HEARTBEAT, null, FrameType.WELCOME, GRANT.payload(order),
        FrameType.HEARTBEAT_ACK, "ack".getBytes(StandardCharsets.UTF_8),
        FrameType.GOODBYE, "shutdown".getBytes(StandardCharsets.UTF_8));
    List<String> expected = List.of("DATA:early", "HEARTBEAT:", "welcome:" + GRANT,
        "HEARTBEAT_ACK:ack", "GOODBYE:shutdown");
    for (int chunk = 1; chunk <= bytes.length; chunk++) {
      assertEquals(expected, read(bytes, order, true, chunk), "chunk " + chunk);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
  void refusesAWelcomeOfTheWrongLengthBeforeReadingItsPayload(String orderName) {
    ByteOrder order = order(orderName);
    byte[] bytes = stream(order, FrameType.WELCOME, new byte[21], FrameType.DATA, new byte[1]);
    for (int chunk = 1; chunk <= bytes.length; chunk++) {
      assertEquals(List.of("malformed:malformed WELCOME (21 bytes): length 21 is not 20"),
          read(bytes, order, true, chunk), "chunk " + chunk);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
  void leavesASecondWelcomeAndOneWithoutAHelloToTheDecoder(String orderName) {
    ByteOrder order = order(orderName);
    byte[] twice = stream(order, FrameType.WELCOME, GRANT.payload(order), FrameType.WELCOME,
        GRANT.payload(order));
    byte[] once = stream(order, FrameType.WELCOME, GRANT.payload(order));
    // The decoder knows the 1.1 codes: it hands such a WELCOME on as a frame, and the client
    // session refuses it as out of turn (SessionClientTest proves the disconnect).
    for (int chunk = 1; chunk <= twice.length; chunk++) {
      List<String> events = read(twice, order, true, chunk);
      assertEquals(2, events.size(), "chunk " + chunk + ": " + events);
      assertEquals("welcome:" + GRANT, events.get(0), "chunk " + chunk);
      assertTrue(events.get(1).startsWith("WELCOME:"), "chunk " + chunk + ": " + events);
      List<String> alone = read(once, order, false, Math.min(chunk, once.length));
      assertEquals(1, alone.size(), "chunk " + chunk + ": " + alone);
      assertTrue(alone.get(0).startsWith("WELCOME:"), "chunk " + chunk + ": " + alone);
    }
  }
}
