package io.heartbeat.protocol;

import java.util.Arrays;
import java.util.HexFormat;

/** What a decoder reports, as plain values that tests compare with {@code equals}. */
sealed interface DecoderEvent {

  /** A complete frame; the payload is a copy that outlives the handler call. */
  record Frame(int type, byte[] payload) implements DecoderEvent {

    @Override
    public boolean equals(Object o) {
      return o instanceof Frame f && f.type == type && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
      return 31 * type + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
      String hex = HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 16));
      return "Frame(" + FrameType.name(type) + ", " + payload.length + " bytes"
          + (payload.length == 0 ? "" : ": " + hex + (payload.length > 16 ? "..." : "")) + ")";
    }
  }

  /** The illegal-header verdict. */
  record Illegal(IllegalFrameException.Reason reason, int type, int length)
      implements DecoderEvent {
  }
}
