package io.heartbeat.protocol;

import static io.heartbeat.protocol.FrameBytes.concat;
import static io.heartbeat.protocol.FrameBytes.frame;
import static io.heartbeat.protocol.FrameBytes.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.protocol.DecoderEvent.Frame;
import io.heartbeat.protocol.DecoderEvent.Illegal;
import io.heartbeat.protocol.IllegalFrameException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.reflect.Field;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The incremental decoder against hand-written byte streams, one behaviour per test. */
class FrameDecoderTest {

  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
  private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
  private static final int MAX = 65536;

  private final RecordingHandler handler = new RecordingHandler();

  static Stream<ByteOrder> byteOrders() {
    return Stream.of(LE, BE);
  }

  static Stream<Arguments> everyTypeWithPayloadSizes() {
    return byteOrders().flatMap(order -> IntStream.rangeClosed(0, 3).boxed()
        .flatMap(type -> IntStream.of(0, 1, 300).mapToObj(size -> Arguments.of(order, type, size))));
  }

  @ParameterizedTest(name = "{0} type {1} payload {2} bytes")
  @MethodSource("everyTypeWithPayloadSizes")
  void decodesEveryLegalTypeWithEmptyAndNonEmptyPayloads(ByteOrder order, int type, int size) {
    FrameDecoder decoder = decoder(order, MAX);
    byte[] payload = pattern(size);

    Chunks.feed(decoder, frame(order, type, payload), 0, 8 + size);

    assertEquals(List.of(new Frame(type, payload)), handler.events());
    assertFalse(decoder.hasPartialFrame());
    assertFalse(decoder.hasFailed());
  }

  @Test
  void readsLittleEndianHeaderAsTheProtocolPageShowsIt() {
    byte[] wire = {1, 0, 0, 0, 3, 0, 0, 0, 'a', 'b', 'c'};

    Chunks.feed(decoder(LE, MAX), wire, 0, wire.length);

    assertEquals(List.of(new Frame(FrameType.DATA, new byte[] {'a', 'b', 'c'})), handler.events());
  }

  @Test
  void readsBigEndianHeaderAsTheProtocolPageShowsIt() {
    byte[] wire = {0, 0, 0, 3, 0, 0, 0, 2, 'o', 'k'};

    Chunks.feed(decoder(BE, MAX), wire, 0, wire.length);

    assertEquals(List.of(new Frame(FrameType.GOODBYE, new byte[] {'o', 'k'})), handler.events());
  }

  @ParameterizedTest
  @MethodSource("byteOrders")
  void decodesEightZeroBytesAsEmptyHeartbeatInEitherOrder(ByteOrder order) {
    Chunks.feed(decoder(order, MAX), new byte[8], 0, 8);

    assertEquals(List.of(new Frame(FrameType.HEARTBEAT, new byte[0])), handler.events());
  }

  @ParameterizedTest
  @MethodSource("byteOrders")
  void decodesFrameSplitAcrossEveryChunkSize(ByteOrder order) {
    List<Frame> frames = sampleFrames();
    byte[] stream = FrameBytes.frames(order, frames);

    for (int size = 1; size <= stream.length; size++) {
      RecordingHandler recorder = new RecordingHandler();
      FrameDecoder decoder = new FrameDecoder(order, MAX, recorder);

      Chunks.feedEvery(decoder, stream, size);

      assertEquals(frames, recorder.events(), "chunk size " + size);
      assertFalse(decoder.hasPartialFrame(), "chunk size " + size);
    }
  }

  @ParameterizedTest
  @MethodSource("byteOrders")
  void decodesSeveralFramesInOneBuffer(ByteOrder order) {
    List<Frame> frames = sampleFrames();
    byte[] stream = FrameBytes.frames(order, frames);

    Chunks.feed(decoder(order, MAX), stream, 0, stream.length);

    assertEquals(frames, handler.events());
  }

  @ParameterizedTest
  @MethodSource("byteOrders")
  void decodesHeaderSplitAtEveryByteBoundary(ByteOrder order) {
    byte[] payload = pattern(5);
    byte[] wire = frame(order, FrameType.HEARTBEAT_ACK, payload);

    for (int cut = 1; cut < wire.length; cut++) {
      RecordingHandler recorder = new RecordingHandler();
      FrameDecoder decoder = new FrameDecoder(order, MAX, recorder);

      Chunks.feed(decoder, wire, 0, cut);
      assertTrue(decoder.hasPartialFrame(), "cut at " + cut);
      assertEquals(List.of(), recorder.events(), "cut at " + cut);
      Chunks.feed(decoder, wire, cut, wire.length - cut);

      assertEquals(List.of(new Frame(FrameType.HEARTBEAT_ACK, payload)), recorder.events(),
          "cut at " + cut);
      assertFalse(decoder.hasPartialFrame(), "cut at " + cut);
    }
  }

  @ParameterizedTest
  @MethodSource("byteOrders")
  void decodesFrameThatStartsInsideTheChunkOfThePreviousOne(ByteOrder order) {
    byte[] first = frame(order, FrameType.DATA, pattern(3));
    byte[] second = frame(order, FrameType.HEARTBEAT, pattern(4));
    byte[] stream = concat(first, second);
    FrameDecoder decoder = decoder(order, MAX);

    // The first chunk holds all of frame one and three header bytes of frame two.
    Chunks.feed(decoder, stream, 0, first.length + 3);
    Chunks.feed(decoder, stream, first.length + 3, stream.length - first.length - 3);

    assertEquals(List.of(new Frame(FrameType.DATA, pattern(3)),
        new Frame(FrameType.HEARTBEAT, pattern(4))), handler.events());
  }

  static Stream<Arguments> illegalHeaders() {
    List<Arguments> cases = List.of(
        Arguments.of(6, 0, MAX, Reason.UNKNOWN_TYPE),
        Arguments.of(-1, 0, MAX, Reason.UNKNOWN_TYPE),
        Arguments.of(Integer.MIN_VALUE, 0, MAX, Reason.UNKNOWN_TYPE),
        Arguments.of(Integer.MAX_VALUE, 0, MAX, Reason.UNKNOWN_TYPE),
        Arguments.of(6, -1, MAX, Reason.UNKNOWN_TYPE),
        Arguments.of(FrameType.HELLO, -1, MAX, Reason.NEGATIVE_LENGTH),
        Arguments.of(FrameType.HELLO, FrameDecoder.DEFAULT_MAX_SESSION_PAYLOAD_BYTES + 1, 0,
            Reason.LENGTH_TOO_LARGE),
        Arguments.of(FrameType.HEARTBEAT, -1, MAX, Reason.NEGATIVE_LENGTH),
        Arguments.of(FrameType.DATA, Integer.MIN_VALUE, MAX, Reason.NEGATIVE_LENGTH),
        Arguments.of(FrameType.HEARTBEAT_ACK, MAX + 1, MAX, Reason.LENGTH_TOO_LARGE),
        Arguments.of(FrameType.GOODBYE, Integer.MAX_VALUE, MAX, Reason.LENGTH_TOO_LARGE),
        Arguments.of(FrameType.DATA, 1, 0, Reason.LENGTH_TOO_LARGE));
    return byteOrders().flatMap(order -> cases.stream().map(c -> {
      Object[] args = c.get();
      return Arguments.of(order, args[0], args[1], args[2], args[3]);
    }));
  }

  @ParameterizedTest(name = "{0} type {1} length {2} max {3}: {4}")
  @MethodSource("illegalHeaders")
  void rejectsIllegalHeaderOnceAndDeliversNothingAfter(ByteOrder order, int type, int length,
      int maxPayload, Reason reason) {
    FrameDecoder decoder = decoder(order, maxPayload);
    byte[] legal = frame(order, FrameType.HEARTBEAT, new byte[0]);
    byte[] stream = concat(legal, header(order, type, length), legal, pattern(20), legal);

    Chunks.feed(decoder, stream, 0, stream.length);
    Chunks.feed(decoder, legal, 0, legal.length);

    assertEquals(List.of(new Frame(FrameType.HEARTBEAT, new byte[0]),
        new Illegal(reason, type, length)), handler.events());
    assertTrue(decoder.hasFailed());
    assertFalse(decoder.hasPartialFrame(), "an illegal header must not start a payload");
  }

  @ParameterizedTest(name = "{0} type {1} length {2} max {3}: {4}")
  @MethodSource("illegalHeaders")
  void rejectsIllegalHeaderArrivingOneByteAtATime(ByteOrder order, int type, int length,
      int maxPayload, Reason reason) {
    FrameDecoder decoder = decoder(order, maxPayload);
    byte[] stream = concat(header(order, type, length), pattern(12));

    Chunks.feedEvery(decoder, stream, 1);

    assertEquals(List.of(new Illegal(reason, type, length)), handler.events());
    assertFalse(decoder.hasPartialFrame(), "an illegal header must not start a payload");
  }

  @Test
  void verdictNamesTheOffendingValues() {
    List<IllegalFrameException> verdicts = new ArrayList<>();
    FrameDecoder decoder = new FrameDecoder(LE, MAX, new FrameHandler() {
      @Override
      public void onFrame(int type, ByteBuf payload) {
      }

      @Override
      public void onIllegalFrame(IllegalFrameException verdict) {
        verdicts.add(verdict);
      }
    });

    byte[] wire = header(LE, FrameType.DATA, Integer.MAX_VALUE);
    Chunks.feed(decoder, wire, 0, wire.length);

    assertEquals(1, verdicts.size());
    assertEquals("length-too-large", verdicts.get(0).reason().code());
    assertEquals("payload length 2147483647 above the maximum of 65536 bytes",
        verdicts.get(0).getMessage());
  }

  @ParameterizedTest
  @MethodSource("byteOrders")
  void consumesAndIgnoresEveryByteAfterTheVerdict(ByteOrder order) {
    FrameDecoder decoder = decoder(order, MAX);
    byte[] stream = concat(header(order, 9, 0), frame(order, FrameType.DATA, pattern(4)));
    ByteBuf in = Unpooled.wrappedBuffer(stream);
    ByteBuf later = Unpooled.wrappedBuffer(frame(order, FrameType.HEARTBEAT, new byte[0]));

    decoder.decode(in);
    decoder.decode(later);

    assertFalse(in.isReadable(), "bytes after the illegal header left unread");
    assertFalse(later.isReadable(), "bytes fed after the verdict left unread");
    assertEquals(1, handler.events().size());
  }

  @ParameterizedTest
  @MethodSource("byteOrders")
  void holdsPartialFrameWithoutDeliveringIt(ByteOrder order) {
    byte[] wire = frame(order, FrameType.DATA, pattern(10));

    for (int cut : new int[] {3, 8, 13}) {
      RecordingHandler recorder = new RecordingHandler();
      FrameDecoder decoder = new FrameDecoder(order, MAX, recorder);

      Chunks.feed(decoder, wire, 0, cut);

      assertTrue(decoder.hasPartialFrame(), "after " + cut + " bytes");
      assertEquals(List.of(), recorder.events(), "after " + cut + " bytes");
    }
  }

  @ParameterizedTest
  @MethodSource("byteOrders")
  void deliversPartialFrameOnceWhenItsLastByteArrives(ByteOrder order) {
    byte[] wire = frame(order, FrameType.DATA, pattern(10));
    FrameDecoder decoder = decoder(order, MAX);

    Chunks.feed(decoder, wire, 0, 13);
    Chunks.feed(decoder, wire, 13, 4);
    assertEquals(List.of(), handler.events());
    Chunks.feed(decoder, wire, 17, 1);

    assertEquals(List.of(new Frame(FrameType.DATA, pattern(10))), handler.events());
    assertFalse(decoder.hasPartialFrame());
  }

  @ParameterizedTest
  @MethodSource("byteOrders")
  void acceptsPayloadOfExactlyMaxPayload(ByteOrder order) {
    int max = 1000;
    byte[] wire = frame(order, FrameType.DATA, pattern(max));

    FrameDecoder whole = decoder(order, max);
    Chunks.feed(whole, wire, 0, wire.length);
    FrameDecoder split = decoder(order, max);
    Chunks.feedEvery(split, wire, 7);

    assertEquals(List.of(new Frame(FrameType.DATA, pattern(max)),
        new Frame(FrameType.DATA, pattern(max))), handler.events());
  }

  @ParameterizedTest
  @MethodSource("byteOrders")
  void zeroMaxPayloadAcceptsEmptyFramesOnly(ByteOrder order) {
    FrameDecoder decoder = decoder(order, 0);
    byte[] stream = concat(frame(order, FrameType.HEARTBEAT, new byte[0]),
        frame(order, FrameType.GOODBYE, new byte[0]), frame(order, FrameType.DATA, pattern(1)));

    Chunks.feed(decoder, stream, 0, stream.length);

    assertEquals(List.of(new Frame(FrameType.HEARTBEAT, new byte[0]),
        new Frame(FrameType.GOODBYE, new byte[0]),
        new Illegal(Reason.LENGTH_TOO_LARGE, FrameType.DATA, 1)), handler.events());
  }

  @Test
  void rejectsNegativeMaxPayload() {
    assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(LE, -1, handler));
  }

  @Test
  void heldPayloadGrowsWithTheBytesReceivedNotWithTheDeclaredLength()
      throws ReflectiveOperationException {
    int declared = 65_536;
    FrameDecoder decoder = decoder(LE, declared);
    byte[] wire = frame(LE, FrameType.DATA, pattern(declared));
    // Header plus one payload byte: a peer that promises 64 KiB and trickles.
    Chunks.feed(decoder, wire, 0, FrameDecoder.HEADER_BYTES + 1);
    assertTrue(heldPayload(decoder).capacity() <= 64, "held " + heldPayload(decoder).capacity());
    Chunks.feed(decoder, wire, FrameDecoder.HEADER_BYTES + 1, 999);
    ByteBuf held = heldPayload(decoder);
    assertTrue(held.capacity() >= 1000 && held.capacity() <= 2 * 1024, "held " + held.capacity());
    Chunks.feed(decoder, wire, FrameDecoder.HEADER_BYTES + 1000,
        wire.length - FrameDecoder.HEADER_BYTES - 1000);
    assertEquals(List.of(new Frame(FrameType.DATA, pattern(declared))), handler.events());
  }

  @Test
  void releaseFreesPartlyCollectedPayload() throws ReflectiveOperationException {
    FrameDecoder decoder = decoder(LE, MAX);
    byte[] wire = frame(LE, FrameType.DATA, pattern(100));
    Chunks.feed(decoder, wire, 0, 50);
    ByteBuf held = heldPayload(decoder);
    assertNotNull(held, "a split payload should be collected in a buffer");
    assertEquals(1, held.refCnt());

    decoder.release();

    assertEquals(0, held.refCnt());
    assertNull(heldPayload(decoder));
    assertFalse(decoder.hasPartialFrame());
    decoder.release();
    assertEquals(List.of(), handler.events());
  }

  @Test
  void freesCollectedPayloadOnceItHasBeenDelivered() {
    List<ByteBuf> seen = new ArrayList<>();
    List<Integer> refCntDuringCall = new ArrayList<>();
    FrameDecoder decoder = new FrameDecoder(LE, MAX, new FrameHandler() {
      @Override
      public void onFrame(int type, ByteBuf payload) {
        seen.add(payload);
        refCntDuringCall.add(payload.refCnt());
      }

      @Override
      public void onIllegalFrame(IllegalFrameException verdict) {
      }
    });
    byte[] wire = frame(LE, FrameType.DATA, pattern(100));

    Chunks.feed(decoder, wire, 0, 50);
    Chunks.feed(decoder, wire, 50, wire.length - 50);

    assertEquals(List.of(1), refCntDuringCall);
    assertEquals(0, seen.get(0).refCnt());
  }

  /** The decoder's private collector of a split payload; null when it holds none. */
  private static ByteBuf heldPayload(FrameDecoder decoder) throws ReflectiveOperationException {
    Field field = FrameDecoder.class.getDeclaredField("payload");
    field.setAccessible(true);
    return (ByteBuf) field.get(decoder);
  }

  private FrameDecoder decoder(ByteOrder order, int maxPayload) {
    return new FrameDecoder(order, maxPayload, handler);
  }

  /** Frames of every type, with payload sizes around the 8-byte header size. */
  private static List<Frame> sampleFrames() {
    return List.of(
        new Frame(FrameType.HEARTBEAT, new byte[0]),
        new Frame(FrameType.DATA, pattern(1)),
        new Frame(FrameType.HEARTBEAT_ACK, new byte[0]),
        new Frame(FrameType.DATA, pattern(7)),
        new Frame(FrameType.HEARTBEAT, pattern(8)),
        new Frame(FrameType.DATA, pattern(9)),
        new Frame(FrameType.GOODBYE, "timeout".getBytes(StandardCharsets.UTF_8)),
        new Frame(FrameType.DATA, pattern(100)));
  }

  /** {@code size} bytes that differ from their neighbours, so misplaced bytes show. */
  static byte[] pattern(int size) {
    byte[] out = new byte[size];
    for (int i = 0; i < size; i++) {
      out[i] = (byte) (i * 31 + 7);
    }
    return out;
  }
}
