package io.heartbeat.client;

import io.heartbeat.protocol.Hello;
import java.nio.charset.StandardCharsets;

/**
 * The client-side checks of the HELLO fields of protocol 1.1, so that a bad setting fails at
 * the setter with one line instead of the server closing the connection without a word.
 */
final class SessionFields {

  /** Longest token a HELLO can carry: its length is an unsigned 16-bit field. */
  static final int MAX_TOKEN_BYTES = 65_535;

  private SessionFields() {
  }

  /**
   * Checks a client id: null (no session) or 1..128 UTF-8 bytes, well-formed (no lone
   * surrogate), without control characters (U+0000..U+001F, U+007F).
   */
  static String clientId(String clientId) {
    if (clientId == null) {
      return null;
    }
    int bytes = clientId.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < 1 || bytes > Hello.MAX_CLIENT_ID_BYTES) {
      throw new IllegalArgumentException("clientId must be 1.." + Hello.MAX_CLIENT_ID_BYTES
          + " bytes of UTF-8, was " + bytes + " bytes");
    }
    for (int i = 0; i < clientId.length(); i++) {
      char c = clientId.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        throw new IllegalArgumentException("clientId must have no control characters, has U+"
            + String.format("%04X", (int) c) + " at index " + i);
      }
      if (Character.isSurrogate(c)) {
        boolean paired = Character.isHighSurrogate(c) && i + 1 < clientId.length()
            && Character.isLowSurrogate(clientId.charAt(i + 1));
        if (!paired) {
          throw new IllegalArgumentException("clientId is not valid Unicode: a lone surrogate"
              + " at index " + i);
        }
        i++;
      }
    }
    return clientId;
  }

  /**
   * Checks a token: null or empty (none), or up to {@value #MAX_TOKEN_BYTES} characters of
   * visible ASCII (0x21..0x7E, as HELLO requires: no space, no control character). The value
   * never appears in the message.
   */
  static String token(String token) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    if (token.length() > MAX_TOKEN_BYTES) {
      throw new IllegalArgumentException("token must be at most " + MAX_TOKEN_BYTES
          + " bytes, was " + token.length());
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7E) {
        throw new IllegalArgumentException("token must be visible ASCII (0x21..0x7E), has "
            + (c < 0x80 ? "0x" + Integer.toHexString(c) : "a non-ASCII character")
            + " at index " + i);
      }
    }
    return token;
  }
}
