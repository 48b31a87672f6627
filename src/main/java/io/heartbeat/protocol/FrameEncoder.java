package io.heartbeat.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteOrder;

/**
 * Builds frames. Immutable and thread-safe.
 *
 * <p>For the hottest frame, an empty HEARTBEAT_ACK, the server uses
 * {@link #encode(ByteBufAllocator, int, ByteBuf)} with the socket's pooled allocator, which
 * recycles buffer and memory alike. {@link #emptyFrame(int)} is one shared read-only buffer per
 * type for callers without an allocator, to send as {@code retainedDuplicate()} (two small
 * objects per send).
 */
public final class FrameEncoder {

  private final boolean littleEndian;
  /** The empty frame of each legal type, indexed by type code. */
  private final ByteBuf[] emptyFrames = new ByteBuf[FrameType.GOODBYE + 1];

  /** @param byteOrder byte order of the header's two integers */
  public FrameEncoder(ByteOrder byteOrder) {
    this.littleEndian = byteOrder == ByteOrder.LITTLE_ENDIAN;
    for (int type = 0; type < emptyFrames.length; type++) {
      // On the heap, so the garbage collector frees them with the encoder: Netty's unpooled
      // direct buffers are not freed by GC, and a client creates an encoder per session.
      ByteBuf out = Unpooled.buffer(FrameDecoder.HEADER_BYTES, FrameDecoder.HEADER_BYTES);
      writeHeader(out, type, 0);
      emptyFrames[type] = Unpooled.unreleasableBuffer(out.asReadOnly());
    }
  }

  /**
   * Encodes one frame into a new buffer from {@code alloc}; {@code payload} is copied (its reader
   * index is unchanged) and may be null for an empty payload.
   */
  public ByteBuf encode(ByteBufAllocator alloc, int type, ByteBuf payload) {
    int length = payload == null ? 0 : payload.readableBytes();
    ByteBuf out = alloc.buffer(FrameDecoder.HEADER_BYTES + length);
    writeHeader(out, type, length);
    if (length > 0) {
      out.writeBytes(payload, payload.readerIndex(), length);
    }
    return out;
  }

  /** Encodes one frame into a new unpooled heap buffer; {@code payload} may be null. */
  public ByteBuf encode(int type, byte[] payload) {
    int length = payload == null ? 0 : payload.length;
    ByteBuf out = Unpooled.buffer(FrameDecoder.HEADER_BYTES + length);
    writeHeader(out, type, length);
    if (length > 0) {
      out.writeBytes(payload);
    }
    return out;
  }

  /**
   * Encodes one frame into a new array; {@code payload} may be null. For frames that are sent
   * often as they are (an ack payload, a GOODBYE reason) and may be shared.
   */
  public byte[] frameBytes(int type, byte[] payload) {
    ByteBuf frame = encode(type, payload);
    byte[] out = new byte[frame.readableBytes()];
    frame.readBytes(out);
    return out;
  }

  /**
   * The shared read-only frame of a legal type with an empty payload: the same buffer on every
   * call. Never release it or read from it; send {@code emptyFrame(t).retainedDuplicate()} or a
   * plain {@code duplicate()}, which have their own indices.
   *
   * @throws IllegalArgumentException if {@code type} is not a version 1 code (HELLO and WELCOME
   *     are never empty)
   */
  public ByteBuf emptyFrame(int type) {
    if (type < 0 || type >= emptyFrames.length) {
      throw new IllegalArgumentException("no empty frame of type " + type);
    }
    return emptyFrames[type];
  }

  /** Writes the 8-byte header at the writer index of {@code out}. */
  public void writeHeader(ByteBuf out, int type, int length) {
    if (littleEndian) {
      out.writeIntLE(type).writeIntLE(length);
    } else {
      out.writeInt(type).writeInt(length);
    }
  }
}
