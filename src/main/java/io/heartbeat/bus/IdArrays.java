package io.heartbeat.bus;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/** Length-prefixed arrays of connection ids (and of ages) inside the command records' buffers. */
final class IdArrays {

  private IdArrays() {
  }

  static long[] of(List<Long> ids) {
    long[] out = new long[ids.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ids.get(i);
    }
    return out;
  }

  /** A buffer holding just {@code ids}, count first. */
  static Buffer toBuffer(long[] ids) {
    Buffer out = Buffer.buffer(bytes(ids.length, 8));
    append(out, ids);
    return out;
  }

  /** Appends the count (4 bytes) and the ids (8 bytes each). */
  static void append(Buffer out, long[] ids) {
    out.appendInt(ids.length);
    for (long id : ids) {
      out.appendLong(id);
    }
  }

  /** The array that starts at {@code pos}; {@code what} names it in the error. */
  static long[] read(Buffer in, int pos, String what) {
    int n = count(in, pos, 8, what);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = in.getLong(pos + 4 + 8 * i);
    }
    return out;
  }

  static void appendInts(Buffer out, int[] values) {
    out.appendInt(values.length);
    for (int v : values) {
      out.appendInt(v);
    }
  }

  static int[] readInts(Buffer in, int pos, String what) {
    int n = count(in, pos, 4, what);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = in.getInt(pos + 4 + 4 * i);
    }
    return out;
  }

  /** Bytes an array of {@code n} elements of {@code width} bytes takes, count included. */
  static int bytes(int n, int width) {
    return 4 + n * width;
  }

  private static int count(Buffer in, int pos, int width, String what) {
    if (pos + 4 > in.length()) {
      throw new IllegalArgumentException(what + ": buffer ends before the count at " + pos);
    }
    int n = in.getInt(pos);
    if (n < 0 || (long) pos + 4 + (long) n * width > in.length()) {
      throw new IllegalArgumentException(what + ": count " + n + " does not fit the "
          + in.length() + "-byte buffer");
    }
    return n;
  }
}
