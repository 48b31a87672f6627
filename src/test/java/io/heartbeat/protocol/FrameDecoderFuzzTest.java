package io.heartbeat.protocol;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.heartbeat.protocol.DecoderEvent.Frame;
import io.heartbeat.protocol.DecoderEvent.Illegal;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Coverage-guided fuzzing of {@link FrameDecoder} against {@link ReferenceDecoder}.
 *
 * <p>In a plain {@code mvn test} (regression mode) the target runs once per file in
 * {@code src/test/resources/io/heartbeat/protocol/FrameDecoderFuzzTestInputs/<method>/}. To fuzz,
 * run {@code scripts/fuzz [duration]}; a finding is written as {@code crash-*} and belongs in that
 * directory once the bug is fixed.
 *
 * <p>Input layout, as {@link FuzzedDataProvider} reads it (each choice takes one byte from the
 * end of the input; the stream is what is left, from the front):
 * <pre>
 *   [stream bytes ...][chunk size n-1] ... [chunk size 0][n][maxPayload index][byte order]
 * </pre>
 * Byte order: bit 0 set means big-endian. maxPayload: an index into {@link #MAX_PAYLOADS}. Then
 * n (0..16) chunk sizes (1..64), used in turn, cycling, until the stream is fed; n = 0 feeds the
 * whole stream at once. Every input is also decoded whole, so each run compares two chunkings.
 * A byte inside a choice's range is taken as is (the seeds rely on that).
 */
class FrameDecoderFuzzTest {

  /**
   * Limits around the header size and the default 64 KiB. Kept small so that a legal but
   * unfinished payload does not make every run allocate megabytes; larger limits only change the
   * number in the comparison.
   */
  static final int[] MAX_PAYLOADS = {0, 1, 7, 8, 9, 255, 4096, 65535, 65536, 65537};

  @FuzzTest(maxDuration = "5m")
  @DictionaryFile(resourcePath = "FrameDecoderFuzzTest.dict")
  void decodesLikeTheReferenceInAnyChunking(FuzzedDataProvider data) {
    ByteOrder order = data.consumeBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    int maxPayload = data.pickValue(MAX_PAYLOADS);
    int[] chunkSizes = new int[data.consumeInt(0, 16)];
    for (int i = 0; i < chunkSizes.length; i++) {
      chunkSizes[i] = data.consumeInt(1, 64);
    }
    byte[] stream = data.consumeRemainingAsBytes();

    ReferenceDecoder.Result expected = ReferenceDecoder.decode(stream, order, maxPayload);
    List<DecoderEvent> whole = decodeAndCheck(stream, order, maxPayload, new int[0], expected);
    List<DecoderEvent> chunked = decodeAndCheck(stream, order, maxPayload, chunkSizes, expected);
    if (!whole.equals(chunked)) {
      throw new AssertionError("chunking changed the result: whole " + whole + ", chunked "
          + chunked);
    }
  }

  /** Decodes in the given chunks, checks every invariant, and returns what was delivered. */
  private static List<DecoderEvent> decodeAndCheck(byte[] stream, ByteOrder order,
      int maxPayload, int[] chunkSizes, ReferenceDecoder.Result expected) {
    RecordingHandler handler = new RecordingHandler();
    FrameDecoder decoder = new FrameDecoder(order, maxPayload, handler);
    Chunks.feedCycling(decoder, stream, chunkSizes);
    List<DecoderEvent> events = List.copyOf(handler.events());

    checkEachEvent(events, maxPayload);
    compareWithReference(events, expected.events());
    boolean failed = !events.isEmpty() && events.get(events.size() - 1) instanceof Illegal;
    if (decoder.hasFailed() != failed) {
      throw new AssertionError("hasFailed() " + decoder.hasFailed() + " after " + events);
    }
    if (decoder.hasPartialFrame() != expected.partial()) {
      throw new AssertionError("hasPartialFrame() " + decoder.hasPartialFrame()
          + ", reference says " + expected.partial());
    }
    if (failed) {
      // Nothing may come out of a failed decoder, however much legal input follows.
      byte[] more = FrameBytes.frame(order, FrameType.HEARTBEAT, new byte[0]);
      Chunks.feed(decoder, more, 0, more.length);
      if (handler.events().size() != events.size()) {
        throw new AssertionError("delivered " + handler.events().get(events.size())
            + " after the verdict");
      }
    }
    decoder.release();
    return events;
  }

  private static void checkEachEvent(List<DecoderEvent> events, int maxPayload) {
    for (int i = 0; i < events.size(); i++) {
      DecoderEvent e = events.get(i);
      if (e instanceof Frame f) {
        int limit = FrameType.isSession(f.type())
            ? Math.max(maxPayload, FrameDecoder.DEFAULT_MAX_SESSION_PAYLOAD_BYTES) : maxPayload;
        if (!FrameType.isLegal(f.type()) || f.payload().length > limit) {
          throw new AssertionError("delivered an illegal frame " + f + " with maxPayload "
              + maxPayload);
        }
      } else if (i != events.size() - 1) {
        throw new AssertionError("delivered " + events.get(i + 1) + " after the verdict " + e);
      }
    }
  }

  private static void compareWithReference(List<DecoderEvent> actual,
      List<DecoderEvent> expected) {
    if (actual.equals(expected)) {
      return;
    }
    int i = 0;
    while (i < actual.size() && i < expected.size() && actual.get(i).equals(expected.get(i))) {
      i++;
    }
    DecoderEvent got = i < actual.size() ? actual.get(i) : null;
    DecoderEvent want = i < expected.size() ? expected.get(i) : null;
    String what;
    if (want instanceof Illegal && got instanceof Frame) {
      what = "decoded an illegal header as a frame";
    } else if (got instanceof Illegal && !(want instanceof Illegal)) {
      what = "judged a legal stream illegal";
    } else {
      what = "differs from the reference";
    }
    throw new AssertionError(what + " at event " + i + ": got " + got + ", want " + want
        + " (all: " + actual + " vs " + expected + ")");
  }
}
