package io.heartbeat.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.protocol.DecoderEvent.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The encoder: wire layout, round trip through the decoder, and the shared empty frames. */
class FrameEncoderTest {

  static Stream<ByteOrder> byteOrders() {
    return Stream.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
  }

  @ParameterizedTest
  @MethodSource("byteOrders")
  void encodedFramesDecodeToTheSameFrames(ByteOrder order) {
    FrameEncoder encoder = new FrameEncoder(order);
    RecordingHandler handler = new RecordingHandler();
    FrameDecoder decoder = new FrameDecoder(order, 65536, handler);
    List<Frame> frames = List.of(
        new Frame(FrameType.HEARTBEAT, new byte[0]),
        new Frame(FrameType.DATA, FrameDecoderTest.pattern(65536)),
        new Frame(FrameType.HEARTBEAT_ACK, FrameDecoderTest.pattern(3)),
        new Frame(FrameType.GOODBYE, new byte[] {'k', 'i', 'c', 'k', 'e', 'd'}));

    for (Frame f : frames) {
      ByteBuf fromArray = encoder.encode(f.type(), f.payload());
      ByteBuf fromBuf = encoder.encode(UnpooledByteBufAllocator.DEFAULT, f.type(),
          Unpooled.wrappedBuffer(f.payload()));
      decoder.decode(fromArray);
      decoder.decode(fromBuf);
      fromArray.release();
      fromBuf.release();
    }

    List<Frame> twice = frames.stream().flatMap(f -> Stream.of(f, f)).toList();
    assertEquals(twice, handler.events());
    assertFalse(decoder.hasPartialFrame());
  }

  @ParameterizedTest
  @MethodSource("byteOrders")
  void writesTheHeaderInTheConfiguredByteOrder(ByteOrder order) {
    ByteBuf out = new FrameEncoder(order).encode(FrameType.DATA, new byte[] {'a', 'b', 'c'});

    assertArrayEquals(FrameBytes.frame(order, FrameType.DATA, new byte[] {'a', 'b', 'c'}),
        ByteBufUtil.getBytes(out));
  }

  @Test
  void littleEndianHeaderMatchesTheCStruct() {
    ByteBuf out = new FrameEncoder(ByteOrder.LITTLE_ENDIAN).encode(FrameType.HEARTBEAT_ACK, null);

    assertArrayEquals(new byte[] {2, 0, 0, 0, 0, 0, 0, 0}, ByteBufUtil.getBytes(out));
  }

  @Test
  void encodingLeavesThePayloadReaderIndexAlone() {
    ByteBuf payload = Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4});
    payload.readByte();

    ByteBuf out = new FrameEncoder(ByteOrder.BIG_ENDIAN)
        .encode(UnpooledByteBufAllocator.DEFAULT, FrameType.DATA, payload);

    try {
      assertEquals(1, payload.readerIndex());
      assertArrayEquals(new byte[] {0, 0, 0, 1, 0, 0, 0, 3, 2, 3, 4}, ByteBufUtil.getBytes(out));
    } finally {
      out.release();
    }
  }

  @ParameterizedTest
  @MethodSource("byteOrders")
  void emptyFrameIsEightReadOnlyBytes(ByteOrder order) {
    ByteBuf ack = new FrameEncoder(order).emptyFrame(FrameType.HEARTBEAT_ACK);

    assertEquals(FrameDecoder.HEADER_BYTES, ack.readableBytes());
    assertArrayEquals(FrameBytes.header(order, FrameType.HEARTBEAT_ACK, 0),
        ByteBufUtil.getBytes(ack));
    assertTrue(ack.isReadOnly());
    assertThrows(ReadOnlyBufferException.class, () -> ack.setByte(0, 9));
    // Heap memory: freed by the garbage collector with the encoder (one per client session).
    assertFalse(ack.isDirect(), "an unpooled direct buffer is never freed by the GC");
  }

  @Test
  void emptyFrameIsOneSharedBufferPerTypeThatSurvivesSending() {
    FrameEncoder encoder = new FrameEncoder(ByteOrder.LITTLE_ENDIAN);
    ByteBuf ack = encoder.emptyFrame(FrameType.HEARTBEAT_ACK);

    // What a connection does per ack: send a duplicate; the transport releases it when written.
    for (int i = 0; i < 3; i++) {
      ByteBuf sent = encoder.emptyFrame(FrameType.HEARTBEAT_ACK).retainedDuplicate();
      sent.skipBytes(sent.readableBytes());
      sent.release();
    }

    assertSame(ack, encoder.emptyFrame(FrameType.HEARTBEAT_ACK));
    assertEquals(8, ack.readableBytes());
    assertTrue(ack.refCnt() > 0);
    assertArrayEquals(new byte[] {2, 0, 0, 0, 0, 0, 0, 0}, ByteBufUtil.getBytes(ack));
  }

  @Test
  void refusesEmptyFrameOfUnknownType() {
    FrameEncoder encoder = new FrameEncoder(ByteOrder.LITTLE_ENDIAN);

    assertThrows(IllegalArgumentException.class, () -> encoder.emptyFrame(4));
    assertThrows(IllegalArgumentException.class, () -> encoder.emptyFrame(-1));
  }

  @Test
  void emptyHeartbeatIsEightZeroBytesInEitherOrder() {
    for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
      assertArrayEquals(new byte[8],
          ByteBufUtil.getBytes(new FrameEncoder(order).emptyFrame(FrameType.HEARTBEAT)));
    }
  }
}
