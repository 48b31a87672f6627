package io.heartbeat.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** HELLO and WELCOME payloads (protocol 1.1) in both byte orders: every field rule. */
class SessionFramesTest {

  /** The byte orders a deployment may use. */
  enum Order {
    LE(ByteOrder.LITTLE_ENDIAN), BE(ByteOrder.BIG_ENDIAN);

    final ByteOrder order;

    Order(ByteOrder order) {
      this.order = order;
    }
  }

  private static final int MAX_TOKEN = 4096;

  /** A HELLO payload with the given fields, lengths as declared (not as the bytes are). */
  private static ByteBuf hello(ByteOrder order, int interval, int idLength, int tokenLength,
      byte[] id, byte[] token) {
    ByteBuf out = Unpooled.buffer();
    if (order == ByteOrder.LITTLE_ENDIAN) {
      out.writeIntLE(interval).writeShortLE(idLength).writeShortLE(tokenLength);
    } else {
      out.writeInt(interval).writeShort(idLength).writeShort(tokenLength);
    }
    return out.writeBytes(id).writeBytes(token);
  }

  private static ByteBuf hello(ByteOrder order, int interval, byte[] id, byte[] token) {
    return hello(order, interval, id.length, token.length, id, token);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static void assertMalformed(ByteBuf payload, ByteOrder order, String because) {
    IllegalFrameException verdict = assertThrows(IllegalFrameException.class,
        () -> Hello.decode(payload, order, MAX_TOKEN));
    assertEquals(IllegalFrameException.Reason.MALFORMED_SESSION_FRAME, verdict.reason());
    assertTrue(verdict.getMessage().contains(because), verdict.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Order.class)
  void aHelloRoundTripsWithAMultiByteClientIdAndAJwt(Order o) throws Exception {
    Hello sent = new Hello(600, "gerät-7", "eyJhbGciOiJIUzI1NiJ9.e30.sig");
    ByteBuf wire = Unpooled.wrappedBuffer(sent.payload(o.order));
    assertEquals(sent, Hello.decode(wire, o.order, MAX_TOKEN));
    assertEquals(0, wire.readerIndex(), "the reader index is left alone");
  }

  @ParameterizedTest
  @EnumSource(Order.class)
  void anIntervalOfZeroMeansTheTickAndAnEmptyTokenIsNone(Order o) throws Exception {
    assertEquals(new Hello(0, "d", ""),
        Hello.decode(hello(o.order, 0, ascii("d"), new byte[0]), o.order, MAX_TOKEN));
  }

  @ParameterizedTest
  @EnumSource(Order.class)
  void rejectsEveryBrokenFieldRule(Order o) {
    ByteOrder order = o.order;
    byte[] id = ascii("device-1");
    assertMalformed(hello(order, 1000, new byte[0], new byte[0]), order, "clientId length 0");
    assertMalformed(hello(order, 1000, new byte[129], new byte[0]), order, "clientId length 129");
    assertMalformed(hello(order, 1000, id, new byte[MAX_TOKEN + 1]), order, "token length 4097");
    assertMalformed(hello(order, -1, id, new byte[0]), order, "negative requestedIntervalMs");
    assertMalformed(hello(order, 1000, id.length, 0, id, ascii("x")), order, "is not 8 + 8 + 0");
    assertMalformed(hello(order, 1000, id.length + 1, 0, id, new byte[0]), order,
        "is not 8 + 9 + 0");
    assertMalformed(Unpooled.buffer().writeInt(0).writeShort(1), order, "shorter than");
    assertMalformed(hello(order, 1000, ascii("a\tb"), new byte[0]), order, "control character 9");
    assertMalformed(hello(order, 1000, new byte[] {'a', 0x7F}, new byte[0]), order,
        "control character 127");
    assertMalformed(hello(order, 1000, new byte[] {'a', 0}, new byte[0]), order,
        "control character 0");
    assertMalformed(hello(order, 1000, id, ascii("to ken")), order, "not printable ASCII");
    assertMalformed(hello(order, 1000, id, new byte[] {(byte) 0xC3, (byte) 0xA9}), order,
        "not printable ASCII");
  }

  @ParameterizedTest
  @EnumSource(Order.class)
  void rejectsClientIdsThatAreNotUtf8(Order o) {
    byte[][] bad = {
        {(byte) 0x80},                               // a lone continuation byte
        {(byte) 0xC0, (byte) 0x80},                  // overlong NUL
        {(byte) 0xE0, (byte) 0x80, (byte) 0x80},     // overlong
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80},     // a UTF-16 surrogate
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
        {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, // never a lead byte
        {'a', (byte) 0xE2, (byte) 0x82},             // cut short
        {(byte) 0xC3, 'a'},                          // not a continuation
    };
    for (byte[] id : bad) {
      assertMalformed(hello(o.order, 1000, id, new byte[0]), o.order, "is not UTF-8");
    }
  }

  @ParameterizedTest
  @EnumSource(Order.class)
  void aWelcomeIs28BytesOnTheWireAndRoundTrips(Order o) throws Exception {
    Welcome sent = new Welcome(600, 1800, 300, 0x0102030405060708L);
    byte[] payload = sent.payload(o.order);
    assertEquals(20, payload.length);
    assertEquals(28, new FrameEncoder(o.order).encode(FrameType.WELCOME, payload)
        .readableBytes());
    assertEquals(sent, Welcome.decode(Unpooled.wrappedBuffer(payload), o.order));
    byte[] expectedInterval = o.order == ByteOrder.LITTLE_ENDIAN
        ? new byte[] {0x58, 0x02, 0, 0} : new byte[] {0, 0, 0x02, 0x58};
    assertArrayEquals(expectedInterval, java.util.Arrays.copyOf(payload, 4));
  }

  @ParameterizedTest
  @EnumSource(Order.class)
  void aWelcomeOfTheWrongSizeOrWithoutDurationsIsIllegal(Order o) {
    assertThrows(IllegalFrameException.class,
        () -> Welcome.decode(Unpooled.buffer().writeZero(19), o.order));
    assertThrows(IllegalFrameException.class,
        () -> Welcome.decode(Unpooled.wrappedBuffer(new Welcome(0, 1, 1, 1).payload(o.order)),
            o.order));
  }
}
