package io.heartbeat.client;

import io.heartbeat.protocol.FrameDecoder;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.IllegalFrameException;
import io.heartbeat.protocol.Welcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteOrder;

/**
 * The reading side of a session's opening (protocol 1.1): looks at each frame header the server
 * sends until its WELCOME, takes the WELCOME out of the stream and decodes it, and passes every
 * other frame (a GOODBYE refusal, a probe, DATA) through to the connection's
 * {@link FrameDecoder} untouched; after the WELCOME, or for a version 1 client from the start,
 * every byte goes straight to the decoder, which hands an out-of-turn WELCOME to the session as a
 * frame (the session disconnects: protocol error). Holds at
 * most one WELCOME (28 bytes). Confined to the client's context.
 */
final class WelcomeReader {

  /** What the reader found. */
  interface Listener {
    void onWelcome(Welcome welcome);

    /** The WELCOME broke a rule; the reader has stopped and drops all later bytes. */
    void onMalformedWelcome(IllegalFrameException verdict);
  }

  private static final int WELCOME_FRAME_BYTES = FrameDecoder.HEADER_BYTES + Welcome.PAYLOAD_BYTES;

  private final FrameDecoder decoder;
  private final ByteOrder order;
  private final int maxPayloadBytes;
  private final Listener listener;
  /** Header bytes (and, for a WELCOME, its payload) collected so far; null once open. */
  private ByteBuf pending;
  /** Payload bytes of a non-WELCOME frame still to pass through before the next header. */
  private int passThrough;
  private boolean failed;

  /**
   * @param awaitWelcome false for a version 1 client: every byte goes to the decoder
   */
  WelcomeReader(FrameDecoder decoder, ByteOrder order, int maxPayloadBytes, boolean awaitWelcome,
      Listener listener) {
    this.decoder = decoder;
    this.order = order;
    this.maxPayloadBytes = maxPayloadBytes;
    this.listener = listener;
    this.pending = awaitWelcome ? Unpooled.buffer(WELCOME_FRAME_BYTES, WELCOME_FRAME_BYTES) : null;
  }

  /** Consumes every readable byte of {@code in}. */
  void feed(ByteBuf in) {
    while (pending != null && !failed && !decoder.hasFailed() && in.isReadable()) {
      if (passThrough > 0) {
        int take = Math.min(passThrough, in.readableBytes());
        passThrough -= take;
        decoder.decode(in.readSlice(take));
      } else {
        collect(in);
      }
    }
    if (failed) {
      in.skipBytes(in.readableBytes());
    } else if (in.isReadable()) {
      decoder.decode(in);
    }
  }

  private void collect(ByteBuf in) {
    int have = pending.readableBytes();
    if (have < FrameDecoder.HEADER_BYTES) {
      pending.writeBytes(in, Math.min(FrameDecoder.HEADER_BYTES - have, in.readableBytes()));
      if (pending.readableBytes() < FrameDecoder.HEADER_BYTES) {
        return;
      }
      int type = order == ByteOrder.LITTLE_ENDIAN ? pending.getIntLE(0) : pending.getInt(0);
      int length = order == ByteOrder.LITTLE_ENDIAN ? pending.getIntLE(4) : pending.getInt(4);
      if (type != FrameType.WELCOME) {
        // Not ours: the decoder judges and delivers it, header and payload.
        decoder.decode(pending);
        pending.clear();
        passThrough = length > 0 && length <= maxPayloadBytes ? length : 0;
        return;
      }
      if (length != Welcome.PAYLOAD_BYTES) {
        fail(IllegalFrameException.malformed(FrameType.WELCOME, length,
            "length " + length + " is not " + Welcome.PAYLOAD_BYTES));
        return;
      }
    }
    pending.writeBytes(in, Math.min(pending.writableBytes(), in.readableBytes()));
    if (pending.isWritable()) {
      return;
    }
    try {
      Welcome welcome = Welcome.decode(pending.slice(FrameDecoder.HEADER_BYTES,
          Welcome.PAYLOAD_BYTES), order);
      pending = null;
      listener.onWelcome(welcome);
    } catch (IllegalFrameException e) {
      fail(e);
    }
  }

  private void fail(IllegalFrameException verdict) {
    failed = true;
    pending = null;
    listener.onMalformedWelcome(verdict);
  }
}
