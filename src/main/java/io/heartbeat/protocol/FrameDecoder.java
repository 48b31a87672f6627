package io.heartbeat.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteOrder;

/**
 * Incremental decoder: a state machine over the 8-byte header and the payload.
 *
 * <p>Feed it the bytes of one connection in arrival order, in chunks of any size; it calls the
 * {@link FrameHandler} once per complete frame, or once with the verdict on the first illegal
 * header and then ignores the rest of the stream. The header is checked before any payload byte
 * is buffered, and a split payload is held in a buffer that grows with the bytes received, so
 * memory held per connection is bounded by both {@code maxPayloadBytes} and what the peer
 * really sent.
 *
 * <p>Allocation: a frame that arrives whole inside one chunk costs nothing (zero-length frames)
 * or one derived view (non-empty payloads). Only a payload split across chunks is copied, into a
 * buffer that grows up to its declared, already validated length.
 *
 * <p>Not thread-safe: one decoder per connection, used from one thread.
 */
public final class FrameDecoder {

  /** Size of the frame header in bytes. */
  public static final int HEADER_BYTES = 8;

  private final boolean littleEndian;
  private final int maxPayloadBytes;
  private final int maxSessionPayloadBytes;
  private final FrameHandler handler;

  /** Header bytes collected so far when a header is split across chunks (0..7). */
  private int headerFill;
  /** The split header's bytes, the first collected in the lowest byte. */
  private long headerBits;
  /** Type of the frame whose payload is being collected; valid while {@link #payload} != null. */
  private int payloadType;
  /** Collector for a payload split across chunks; null otherwise. */
  private ByteBuf payload;
  /** Declared (validated) length of the payload being collected. */
  private int payloadLength;
  private boolean failed;

  /**
   * @param byteOrder byte order of the header's two integers
   * @param maxPayloadBytes largest legal payload length in bytes (at least 0)
   * @param handler receives frames and the illegal-header verdict
   */
  public FrameDecoder(ByteOrder byteOrder, int maxPayloadBytes, FrameHandler handler) {
    this(byteOrder, maxPayloadBytes, DEFAULT_MAX_SESSION_PAYLOAD_BYTES, handler);
  }

  /**
   * @param maxSessionPayloadBytes largest legal HELLO or WELCOME payload (a HELLO's size depends
   *     on the token limit, not on {@code maxPayloadBytes}); the larger of the two applies
   */
  public FrameDecoder(ByteOrder byteOrder, int maxPayloadBytes, int maxSessionPayloadBytes,
      FrameHandler handler) {
    if (maxPayloadBytes < 0) {
      throw new IllegalArgumentException("maxPayloadBytes must be >= 0, was " + maxPayloadBytes);
    }
    this.littleEndian = byteOrder == ByteOrder.LITTLE_ENDIAN;
    this.maxPayloadBytes = maxPayloadBytes;
    this.maxSessionPayloadBytes = Math.max(maxPayloadBytes, maxSessionPayloadBytes);
    this.handler = handler;
  }

  /** The largest HELLO with the protocol's default token limit (4,096 bytes). */
  public static final int DEFAULT_MAX_SESSION_PAYLOAD_BYTES =
      Hello.FIXED_BYTES + Hello.MAX_CLIENT_ID_BYTES + 4096;

  /**
   * Consumes every readable byte of {@code in} (advancing its reader index), also after an
   * illegal header, when the bytes are dropped unread. Does not release {@code in}.
   */
  public void decode(ByteBuf in) {
    while (!failed && in.isReadable()) {
      if (payload != null) {
        continuePayload(in);
      } else if (headerFill == 0 && in.readableBytes() >= HEADER_BYTES) {
        int index = in.readerIndex();
        int type = littleEndian ? in.getIntLE(index) : in.getInt(index);
        int length = littleEndian ? in.getIntLE(index + 4) : in.getInt(index + 4);
        in.skipBytes(HEADER_BYTES);
        onHeader(type, length, in);
      } else {
        collectHeaderByte(in);
      }
    }
    if (failed) {
      // Dead stream: drop the rest, so a caller that loops while its buffer is readable, or
      // keeps unread bytes for the next call, cannot spin or pile up input after the verdict.
      in.skipBytes(in.readableBytes());
    }
  }

  /** Whether the decoder holds part of a frame (header or payload) that has not completed. */
  public boolean hasPartialFrame() {
    return headerFill > 0 || payload != null;
  }

  /** Whether an illegal header was seen; the decoder then ignores all input. */
  public boolean hasFailed() {
    return failed;
  }

  /** Frees a partly collected payload. Call when the connection closes. */
  public void release() {
    if (payload != null) {
      payload.release();
      payload = null;
    }
  }

  private void collectHeaderByte(ByteBuf in) {
    headerBits |= (long) (in.readByte() & 0xFF) << (8 * headerFill);
    if (++headerFill == HEADER_BYTES) {
      long bits = headerBits;
      headerFill = 0;
      headerBits = 0;
      int first = (int) bits;
      int second = (int) (bits >>> 32);
      // headerBits holds the bytes little-endian; reverse each int for network order.
      int type = littleEndian ? first : Integer.reverseBytes(first);
      int length = littleEndian ? second : Integer.reverseBytes(second);
      onHeader(type, length, in);
    }
  }

  private void onHeader(int type, int length, ByteBuf in) {
    IllegalFrameException.Reason reason = null;
    if (!FrameType.isLegal(type)) {
      reason = IllegalFrameException.Reason.UNKNOWN_TYPE;
    } else if (length < 0) {
      reason = IllegalFrameException.Reason.NEGATIVE_LENGTH;
    } else if (length > (FrameType.isSession(type) ? maxSessionPayloadBytes : maxPayloadBytes)) {
      reason = IllegalFrameException.Reason.LENGTH_TOO_LARGE;
    }
    if (reason != null) {
      failed = true;
      release();
      handler.onIllegalFrame(new IllegalFrameException(reason, type, length,
          FrameType.isSession(type) ? maxSessionPayloadBytes : maxPayloadBytes));
    } else if (length == 0) {
      handler.onFrame(type, Unpooled.EMPTY_BUFFER);
    } else if (in.readableBytes() >= length) {
      int start = in.readerIndex();
      in.skipBytes(length);
      handler.onFrame(type, in.slice(start, length));
    } else {
      payloadType = type;
      payloadLength = length;
      // Sized by what arrived, not by what the header promises: a peer that declares the
      // maximum and then trickles makes the server hold only what it really sent (the buffer
      // grows as bytes come, never beyond the validated length).
      payload = Unpooled.buffer(Math.min(length, Math.max(in.readableBytes(), 64)), length);
      continuePayload(in);
    }
  }

  private void continuePayload(ByteBuf in) {
    int wanted = payloadLength - payload.writerIndex();
    int take = Math.min(wanted, in.readableBytes());
    payload.writeBytes(in, take);
    if (take == wanted) {
      ByteBuf complete = payload;
      payload = null;
      try {
        handler.onFrame(payloadType, complete);
      } finally {
        complete.release();
      }
    }
  }
}
