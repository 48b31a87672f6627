package io.heartbeat.protocol;

import io.netty.buffer.ByteBuf;

/** Checks UTF-8 in place, without decoding it (so a bad client id costs no string). */
final class Utf8 {

  private Utf8() {
  }

  /**
   * Why {@code length} bytes at {@code from} are not well-formed UTF-8 free of control
   * characters (U+0000..U+001F, U+007F), or null if they are. Overlong forms, surrogates and
   * code points above U+10FFFF are malformed.
   */
  static String checkNoControls(ByteBuf in, int from, int length) {
    int end = from + length;
    int i = from;
    while (i < end) {
      int b = in.getByte(i) & 0xFF;
      if (b < 0x80) {
        if (b < 0x20 || b == 0x7F) {
          return "has control character " + b + " at byte " + (i - from);
        }
        i++;
        continue;
      }
      int more;
      int min;
      int cp;
      if (b >= 0xC2 && b <= 0xDF) {
        more = 1;
        min = 0x80;
        cp = b & 0x1F;
      } else if (b >= 0xE0 && b <= 0xEF) {
        more = 2;
        min = 0x800;
        cp = b & 0x0F;
      } else if (b >= 0xF0 && b <= 0xF4) {
        more = 3;
        min = 0x10000;
        cp = b & 0x07;
      } else {
        return "is not UTF-8: byte " + b + " at " + (i - from) + " cannot start a character";
      }
      if (i + more >= end) {
        return "is not UTF-8: the character at " + (i - from) + " is cut short";
      }
      for (int k = 1; k <= more; k++) {
        int c = in.getByte(i + k) & 0xFF;
        if ((c & 0xC0) != 0x80) {
          return "is not UTF-8: byte " + c + " at " + (i + k - from) + " is not a continuation";
        }
        cp = (cp << 6) | (c & 0x3F);
      }
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return "is not UTF-8: an overlong form, a surrogate or a code point above U+10FFFF at "
            + (i - from);
      }
      i += more + 1;
    }
    return null;
  }
}
