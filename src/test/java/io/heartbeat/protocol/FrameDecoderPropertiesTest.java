package io.heartbeat.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.protocol.DecoderEvent.Frame;
import io.heartbeat.protocol.DecoderEvent.Illegal;
import io.heartbeat.protocol.IllegalFrameException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Reliability figure B2: properties of the decoder over generated frames, headers and splits,
 * 10,000 tries each. A failure prints the shrunk example; jqwik keeps failing seeds in
 * {@code target/jqwik-database} and replays them first on the next run.
 */
class FrameDecoderPropertiesTest {

  private static final int TRIES = 10_000;

  /** A byte stream and the points where it is cut into chunks (sorted, inside the stream). */
  record Split(byte[] stream, int[] cuts) {

    @Override
    public String toString() {
      return stream.length + " bytes cut at " + Arrays.toString(cuts);
    }
  }

  // (i) Fragmentation invariance.
  @Property(tries = TRIES)
  void legalFramesSplitAnyWayDecodeToTheSameFrames(@ForAll("frameLists") List<Frame> frames,
      @ForAll("byteOrders") ByteOrder order, @ForAll("cutSeeds") List<Integer> cutSeeds) {
    byte[] stream = FrameBytes.frames(order, frames);
    Split split = new Split(stream, cuts(stream.length, cutSeeds));
    RecordingHandler handler = new RecordingHandler();
    FrameDecoder decoder = new FrameDecoder(order, 64, handler);

    feed(decoder, split);

    assertEquals(frames, handler.events(), split.toString());
    assertFalse(decoder.hasPartialFrame(), split.toString());
  }

  // (ii) Legal frames round-trip through the production encoder in both byte orders.
  @Property(tries = TRIES)
  void legalFramesRoundTripThroughTheEncoder(@ForAll("legalFrames") Frame frame,
      @ForAll("byteOrders") ByteOrder order) {
    FrameEncoder encoder = new FrameEncoder(order);
    ByteBuf fromArray = encoder.encode(frame.type(), frame.payload());
    ByteBuf fromBuf = encoder.encode(UnpooledByteBufAllocator.DEFAULT, frame.type(),
        Unpooled.wrappedBuffer(frame.payload()));
    byte[] wire = ByteBufUtil.getBytes(fromArray);
    assertArrayEquals(wire, ByteBufUtil.getBytes(fromBuf));
    assertArrayEquals(FrameBytes.frame(order, frame.type(), frame.payload()), wire);
    RecordingHandler handler = new RecordingHandler();

    new FrameDecoder(order, 64, handler).decode(fromArray);

    assertEquals(List.of(frame), handler.events());
    fromArray.release();
    fromBuf.release();
  }

  // (iii) Every illegal header: one verdict with its reason, nothing after it, no payload held.
  @Property(tries = TRIES)
  void everyIllegalHeaderGivesOneVerdictAndNothingAfter(
      @ForAll("frameLists") List<Frame> before, @ForAll("illegalHeaders") int[] header,
      @ForAll("byteOrders") ByteOrder order, @ForAll("trailingBytes") byte[] after,
      @ForAll("cutSeeds") List<Integer> cutSeeds) {
    int type = header[0];
    int length = header[1];
    int maxPayload = header[2];
    List<Frame> legalBefore = before.stream()
        .map(f -> new Frame(f.type(), Arrays.copyOf(f.payload(),
            Math.min(f.payload().length, maxPayload))))
        .toList();
    byte[] stream = FrameBytes.concat(FrameBytes.frames(order, legalBefore),
        FrameBytes.header(order, type, length), after);
    Split split = new Split(stream, cuts(stream.length, cutSeeds));
    RecordingHandler handler = new RecordingHandler();
    FrameDecoder decoder = new FrameDecoder(order, maxPayload, handler);

    feed(decoder, split);

    List<DecoderEvent> expected = new ArrayList<>(legalBefore);
    expected.add(new Illegal(reasonFor(type, length, maxPayload), type, length));
    assertEquals(expected, handler.events(), split.toString());
    assertTrue(decoder.hasFailed());
    assertFalse(decoder.hasPartialFrame(), "an illegal header must not start a payload");
  }

  // (iv) Legal frames never give a verdict, even when the stream stops in the middle of one.
  @Property(tries = TRIES)
  void legalStreamNeverGivesAVerdict(@ForAll("frameLists") List<Frame> frames,
      @ForAll("byteOrders") ByteOrder order, @ForAll @IntRange(min = 0, max = 64) int maxPayload,
      @ForAll @IntRange(min = 0, max = 1000) int keepPermille,
      @ForAll("cutSeeds") List<Integer> cutSeeds) {
    List<Frame> fitting = frames.stream()
        .map(f -> new Frame(f.type(), Arrays.copyOf(f.payload(),
            Math.min(f.payload().length, maxPayload))))
        .toList();
    byte[] whole = FrameBytes.frames(order, fitting);
    byte[] stream = Arrays.copyOf(whole, whole.length * keepPermille / 1000);
    Split split = new Split(stream, cuts(stream.length, cutSeeds));
    RecordingHandler handler = new RecordingHandler();
    FrameDecoder decoder = new FrameDecoder(order, maxPayload, handler);

    feed(decoder, split);

    assertEquals(0, handler.verdicts(), split.toString());
    assertFalse(decoder.hasFailed());
    ReferenceDecoder.Result expected = ReferenceDecoder.decode(stream, order, maxPayload);
    assertEquals(expected.events(), handler.events());
    assertEquals(fitting.subList(0, handler.events().size()), handler.events());
    assertEquals(expected.partial(), decoder.hasPartialFrame());
  }

  // Streams that mix legal frames, near-legal headers and noise decode like the reference.
  @Property(tries = TRIES)
  void mixedStreamsDecodeLikeTheReference(@ForAll("mixedStreams") byte[] stream,
      @ForAll("byteOrders") ByteOrder order, @ForAll @IntRange(min = 0, max = 70) int maxPayload,
      @ForAll("cutSeeds") List<Integer> cutSeeds) {
    Split split = new Split(stream, cuts(stream.length, cutSeeds));
    RecordingHandler handler = new RecordingHandler();
    FrameDecoder decoder = new FrameDecoder(order, maxPayload, handler);

    feed(decoder, split);

    ReferenceDecoder.Result expected = ReferenceDecoder.decode(stream, order, maxPayload);
    assertEquals(expected.events(), handler.events(), split.toString());
    assertEquals(expected.partial(), decoder.hasPartialFrame(), split.toString());
  }

  @Provide
  Arbitrary<ByteOrder> byteOrders() {
    return Arbitraries.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
  }

  @Provide
  Arbitrary<Frame> legalFrames() {
    return Combinators.combine(Arbitraries.integers().between(0, 3), payloads())
        .as(Frame::new);
  }

  @Provide
  Arbitrary<List<Frame>> frameLists() {
    return legalFrames().list().ofMaxSize(6);
  }

  /** Where to cut: each seed picks a position; duplicates and order do not matter. */
  @Provide
  Arbitrary<List<Integer>> cutSeeds() {
    return Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMaxSize(12);
  }

  @Provide
  Arbitrary<byte[]> trailingBytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
  }

  /** {type, length, maxPayload} such that the header is illegal. */
  @Provide
  Arbitrary<int[]> illegalHeaders() {
    Arbitrary<Integer> maxPayload = Arbitraries.integers().between(0, 70_000)
        .edgeCases(e -> e.add(65_536));
    Arbitrary<Integer> anyInt = Arbitraries.integers();
    Arbitrary<Integer> legalType = Arbitraries.integers().between(0, 3);
    Arbitrary<int[]> unknownType = Combinators.combine(
        anyInt.filter(t -> t < 0 || t > 5), anyInt, maxPayload).as((t, l, m) -> new int[] {t, l, m});
    Arbitrary<int[]> negativeLength = Combinators.combine(
        legalType, Arbitraries.integers().lessOrEqual(-1), maxPayload)
        .as((t, l, m) -> new int[] {t, l, m});
    Arbitrary<int[]> tooLong = Combinators.combine(legalType, maxPayload,
        Arbitraries.integers().between(1, Integer.MAX_VALUE))
        .as((t, m, excess) -> new int[] {t, (int) Math.min(Integer.MAX_VALUE, (long) m + excess), m});
    return Arbitraries.oneOf(unknownType, negativeLength, tooLong);
  }

  /** Concatenated pieces: legal frames in either order, headers with values near the limits, noise. */
  @Provide
  Arbitrary<byte[]> mixedStreams() {
    Arbitrary<byte[]> frameLe = legalFrames().map(
        f -> FrameBytes.frame(ByteOrder.LITTLE_ENDIAN, f.type(), f.payload()));
    Arbitrary<byte[]> frameBe = legalFrames().map(
        f -> FrameBytes.frame(ByteOrder.BIG_ENDIAN, f.type(), f.payload()));
    Arbitrary<byte[]> nearHeader = Combinators.combine(byteOrders(),
        Arbitraries.integers().between(-2, 5), Arbitraries.integers().between(-2, 72))
        .as(FrameBytes::header);
    Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(12);
    return Arbitraries.frequencyOf(
            Tuple.of(4, frameLe), Tuple.of(4, frameBe),
            Tuple.of(2, nearHeader), Tuple.of(1, noise))
        .list().ofMaxSize(6)
        .map(pieces -> FrameBytes.concat(pieces.toArray(new byte[0][])));
  }

  private static Arbitrary<byte[]> payloads() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
  }

  private static Reason reasonFor(int type, int length, int maxPayload) {
    if (type < 0 || type > 5) {
      return Reason.UNKNOWN_TYPE;
    }
    return length < 0 ? Reason.NEGATIVE_LENGTH : Reason.LENGTH_TOO_LARGE;
  }

  /** Cut positions strictly inside a stream of {@code length} bytes, from the seeds. */
  private static int[] cuts(int length, List<Integer> seeds) {
    Set<Integer> cuts = new TreeSet<>();
    if (length > 1) {
      for (int seed : seeds) {
        cuts.add(1 + seed % (length - 1));
      }
    }
    return cuts.stream().mapToInt(Integer::intValue).toArray();
  }

  private static void feed(FrameDecoder decoder, Split split) {
    int from = 0;
    for (int cut : split.cuts()) {
      Chunks.feed(decoder, split.stream(), from, cut - from);
      from = cut;
    }
    Chunks.feed(decoder, split.stream(), from, split.stream().length - from);
  }
}
