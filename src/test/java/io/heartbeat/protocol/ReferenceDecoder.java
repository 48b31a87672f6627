package io.heartbeat.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The protocol rules written as plainly as possible, over a whole byte array at once: the oracle
 * that the incremental {@link FrameDecoder} is compared with. Deliberately shares no code with it.
 */
final class ReferenceDecoder {

  /** The events a stream must produce, and whether it ends inside an unfinished frame. */
  record Result(List<DecoderEvent> events, boolean partial) {
  }

  private ReferenceDecoder() {
  }

  static Result decode(byte[] stream, ByteOrder order, int maxPayloadBytes) {
    ByteBuffer in = ByteBuffer.wrap(stream).order(order);
    List<DecoderEvent> events = new ArrayList<>();
    while (in.remaining() >= 8) {
      int type = in.getInt();
      int length = in.getInt();
      IllegalFrameException.Reason reason = null;
      int limit = type == FrameType.HELLO || type == FrameType.WELCOME
          ? Math.max(maxPayloadBytes, FrameDecoder.DEFAULT_MAX_SESSION_PAYLOAD_BYTES)
          : maxPayloadBytes;
      if (type < 0 || type > 5) {
        reason = IllegalFrameException.Reason.UNKNOWN_TYPE;
      } else if (length < 0) {
        reason = IllegalFrameException.Reason.NEGATIVE_LENGTH;
      } else if (length > limit) {
        reason = IllegalFrameException.Reason.LENGTH_TOO_LARGE;
      }
      if (reason != null) {
        events.add(new DecoderEvent.Illegal(reason, type, length));
        return new Result(events, false);
      }
      if (in.remaining() < length) {
        return new Result(events, true);
      }
      int start = in.position();
      events.add(new DecoderEvent.Frame(type, Arrays.copyOfRange(stream, start, start + length)));
      in.position(start + length);
    }
    return new Result(events, in.hasRemaining());
  }
}
