package io.heartbeat.bus;

import java.util.Base64;

/**
 * Payload bytes inside JSON messages: standard Base64 with padding (RFC 4648 section 4), so any
 * language's default decoder reads it. An absent or empty string is an empty payload.
 */
public final class Payloads {

  private static final byte[] EMPTY = new byte[0];

  private Payloads() {
  }

  /** Encodes bytes for a JSON field. */
  public static String encode(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * Decodes a JSON field.
   *
   * @throws IllegalArgumentException if the text is not valid Base64
   */
  public static byte[] decode(String text) {
    return text == null || text.isEmpty() ? EMPTY : Base64.getDecoder().decode(text);
  }
}
