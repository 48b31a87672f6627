package io.heartbeat.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A HELLO (protocol 1.1): the first frame of a client that opens a session. Payload, integers in
 * the connection's byte order:
 *
 * <pre>
 *  0      4       6       8            8+N
 *  +------+-------+-------+------------+-----------+
 *  | requestedIntervalMs  |  N  |  M  | clientId   | token     |
 *  | int32 (0 = the tick) |u16  |u16  | N bytes    | M bytes   |
 *  +------+-------+-------+------------+-----------+
 * </pre>
 *
 * N is 1..{@value #MAX_CLIENT_ID_BYTES}, M is 0..maxTokenBytes, the frame's length is exactly
 * 8 + N + M; the client id is UTF-8 without control characters, the token printable ASCII (a
 * JWT in compact form, for example).
 *
 * @param requestedIntervalMs the heartbeat interval the client asks for; 0 means the server's
 *     tick
 * @param clientId the device's identity, unique in the deployment
 * @param token the credential, empty when none
 */
public record Hello(int requestedIntervalMs, String clientId, String token) {

  /** Bytes before the client id. */
  public static final int FIXED_BYTES = 8;
  /** Longest client id, in UTF-8 bytes. */
  public static final int MAX_CLIENT_ID_BYTES = 128;

  /**
   * Reads and checks a HELLO payload, field by field, before anything is allocated for it: a
   * peer that breaks a rule costs no string and no copy.
   *
   * @param payload the whole payload (its readable bytes; the reader index is not moved)
   * @param maxTokenBytes the longest token accepted
   * @throws IllegalFrameException {@link IllegalFrameException.Reason#MALFORMED_SESSION_FRAME}
   *     naming the rule
   */
  public static Hello decode(ByteBuf payload, ByteOrder order, int maxTokenBytes)
      throws IllegalFrameException {
    int length = payload.readableBytes();
    if (length < FIXED_BYTES) {
      throw malformed(length, "shorter than its 8 fixed bytes");
    }
    int at = payload.readerIndex();
    boolean le = order == ByteOrder.LITTLE_ENDIAN;
    int interval = le ? payload.getIntLE(at) : payload.getInt(at);
    int idBytes = le ? payload.getUnsignedShortLE(at + 4) : payload.getUnsignedShort(at + 4);
    int tokenBytes = le ? payload.getUnsignedShortLE(at + 6) : payload.getUnsignedShort(at + 6);
    if (interval < 0) {
      throw malformed(length, "negative requestedIntervalMs " + interval);
    }
    if (idBytes < 1 || idBytes > MAX_CLIENT_ID_BYTES) {
      throw malformed(length, "clientId length " + idBytes + " not in 1.." + MAX_CLIENT_ID_BYTES);
    }
    if (tokenBytes > maxTokenBytes) {
      throw malformed(length, "token length " + tokenBytes + " above " + maxTokenBytes);
    }
    if (length != FIXED_BYTES + idBytes + tokenBytes) {
      throw malformed(length, "length " + length + " is not 8 + " + idBytes + " + " + tokenBytes);
    }
    int idAt = at + FIXED_BYTES;
    String problem = Utf8.checkNoControls(payload, idAt, idBytes);
    if (problem != null) {
      throw malformed(length, "clientId " + problem);
    }
    for (int i = idAt + idBytes; i < at + length; i++) {
      byte b = payload.getByte(i);
      if (b < 0x21 || b > 0x7E) {
        throw malformed(length, "token byte " + (b & 0xFF) + " at " + (i - idAt - idBytes)
            + " is not printable ASCII");
      }
    }
    return new Hello(interval, payload.toString(idAt, idBytes, StandardCharsets.UTF_8),
        payload.toString(idAt + idBytes, tokenBytes, StandardCharsets.US_ASCII));
  }

  /** The payload, in {@code order}, for a client to send. */
  public byte[] payload(ByteOrder order) {
    byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    byte[] credential = token.getBytes(StandardCharsets.US_ASCII);
    ByteBuf out = Unpooled.buffer(FIXED_BYTES + id.length + credential.length);
    if (order == ByteOrder.LITTLE_ENDIAN) {
      out.writeIntLE(requestedIntervalMs).writeShortLE(id.length).writeShortLE(credential.length);
    } else {
      out.writeInt(requestedIntervalMs).writeShort(id.length).writeShort(credential.length);
    }
    return out.writeBytes(id).writeBytes(credential).array();
  }

  private static IllegalFrameException malformed(int length, String detail) {
    return IllegalFrameException.malformed(FrameType.HELLO, length, detail);
  }
}
