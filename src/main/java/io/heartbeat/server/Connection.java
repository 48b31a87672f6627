package io.heartbeat.server;

import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.protocol.FrameDecoder;
import io.heartbeat.protocol.FrameHandler;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.IllegalFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;

/**
 * One accepted socket: decodes its frames, answers heartbeats, records when it last showed life
 * and carries out close decisions. It is the socket's Netty handler (behind the TLS handler when
 * TLS is on): received buffers go straight to the decoder and acks are flushed once per read
 * burst, the way a hand-written Netty server does. Confined to the event loop of its
 * {@link IoVerticle}.
 */
final class Connection extends ChannelInboundHandlerAdapter implements FrameHandler {

  /** Name of this handler in the socket's pipeline. */
  static final String HANDLER_NAME = "heartbeat-connection";

  private final long id;
  private final IoVerticle owner;
  private final Channel socket;
  /** This handler's context: writes go through the handlers before it (TLS) to the socket. */
  private ChannelHandlerContext channel;
  private final FrameDecoder decoder;
  private final long openedNanos;
  /** Whether any complete legal frame arrived (for firstFrameTimeoutMs). */
  private boolean framed;
  /** Reason of a GOODBYE already sent while the connection stays open (drain), or null. */
  private String goodbyeSent;
  /** When writes started being refused because the peer does not read; 0 while writable. */
  long unwritableSinceNanos;

  /** Monotonic time of the last complete legal frame that counts as life (accept to start). */
  private long lastFrameNanos;
  /** Time the bytes being decoded were read; one clock read per socket read, not per frame. */
  private long readNanos;
  /** Whether this connection is already listed in the owner's next activity batch. */
  boolean activityPending;
  /** A full HEARTBEAT_ACK frame carrying the application's payload, or null for empty acks. */
  private ByteBuf ackWithPayload;
  private boolean flushNeeded;
  /** Why we are closing, once decided; first decision wins. */
  private String closeReason;
  private int missedTicksAtClose = -1;
  /** When this side decided to close (GOODBYE and FIN sent), or 0 if the peer went first. */
  private long closeDecidedNanos;
  private boolean ioErrorSeen;

  Connection(long id, IoVerticle owner, Channel socket, long nowNanos) {
    this.id = id;
    this.owner = owner;
    this.socket = socket;
    this.decoder = new FrameDecoder(owner.settings().byteOrder(), owner.settings().maxPayloadBytes(),
        this);
    this.openedNanos = nowNanos;
    this.lastFrameNanos = nowNanos;
  }

  /**
   * Puts this handler at the end of the socket's pipeline; call once, on the socket's event loop,
   * before its first read (the owner does when it takes the socket over).
   */
  void start() {
    socket.pipeline().addLast(HANDLER_NAME, this);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf) {
      onBytes((ByteBuf) msg);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flushIfNeeded();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    onException(cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    onClosed();
  }

  long id() {
    return id;
  }

  /** The peer as host:port (built on demand: it is only needed for log lines and events). */
  String remoteAddress() {
    return hostAndPort(socket.remoteAddress());
  }

  /** {@code address} as host:port with the host as a literal IP, or "?" if unknown. */
  static String hostAndPort(SocketAddress address) {
    InetSocketAddress inet = (InetSocketAddress) address;
    return inet == null ? "?" : inet.getAddress().getHostAddress() + ":" + inet.getPort();
  }

  /** The peer's address, the key of the per-address connection limit. */
  String remoteHost() {
    return remoteHost(socket);
  }

  static String remoteHost(Channel socket) {
    InetSocketAddress remote = (InetSocketAddress) socket.remoteAddress();
    return remote == null ? "?" : remote.getAddress().getHostAddress();
  }

  Channel socket() {
    return socket;
  }

  boolean hasCompletedFrame() {
    return framed;
  }

  long lastFrameNanos() {
    return lastFrameNanos;
  }

  long openedNanos() {
    return openedNanos;
  }

  boolean isClosing() {
    return closeReason != null;
  }

  /** Decodes received bytes and releases them. */
  void onBytes(ByteBuf bytes) {
    try {
      if (closeReason == null) {
        readNanos = System.nanoTime();
        decoder.decode(bytes);
      }
    } finally {
      bytes.release();
    }
  }

  @Override
  public void onFrame(int type, ByteBuf payload) {
    if (closeReason != null) {
      return;
    }
    framed = true;
    switch (type) {
      case FrameType.HEARTBEAT:
        alive();
        owner.heartbeatReceived(this);
        if (payload.isReadable()) {
          owner.publishData(this, "HEARTBEAT", payload);
        }
        if (owner.settings().ackHeartbeats()) {
          sendAck();
        }
        break;
      case FrameType.DATA:
        if (owner.settings().dataCountsAsActivity()) {
          alive();
        }
        owner.publishData(this, "DATA", payload);
        break;
      default:
        // HEARTBEAT_ACK answers our probe; GOODBYE announces a close: both are signs of life.
        alive();
        if (type == FrameType.GOODBYE) {
          owner.goodbyeReceived(this, payload.toString(StandardCharsets.UTF_8));
        }
        break;
    }
  }

  @Override
  public void onIllegalFrame(IllegalFrameException verdict) {
    owner.protocolError(this, verdict);
    close(LifecycleEvents.PROTOCOL_ERROR, false);
  }

  private void alive() {
    lastFrameNanos = readNanos;
    if (!activityPending) {
      activityPending = true;
      owner.activity(this);
    }
  }

  private void sendAck() {
    if (!writable()) {
      return;
    }
    // An empty ack goes out in a pooled 8-byte buffer: the socket's allocator recycles both the
    // memory and the buffer object, so acking leaves no garbage (a duplicate of one shared frame
    // left two objects per ack: 35 MB a minute at 15,000 heartbeats a second).
    ByteBuf frame = ackWithPayload != null ? ackWithPayload.retainedDuplicate()
        : owner.encoder().encode(channel.alloc(), FrameType.HEARTBEAT_ACK, null);
    channel.write(frame, channel.voidPromise());
    flushNeeded = true;
    owner.ackSent(this);
  }

  /**
   * Whether the peer is reading: false once maxPendingWriteBytes are queued for it. Writes are
   * then dropped (memory stays bounded) and the owner closes the connection if it stays so for a
   * tick.
   */
  private boolean writable() {
    if (channel.channel().isWritable()) {
      unwritableSinceNanos = 0;
      return true;
    }
    if (unwritableSinceNanos == 0) {
      unwritableSinceNanos = System.nanoTime() | 1;
      owner.unwritable(this);
    }
    return false;
  }

  void flushIfNeeded() {
    if (flushNeeded) {
      flushNeeded = false;
      channel.flush();
    }
  }

  /** Writes a whole frame now (commands, probes, goodbyes); takes ownership of {@code frame}. */
  void writeFrame(ByteBuf frame) {
    if (closeReason != null || !writable()) {
      frame.release();
      return;
    }
    flushNeeded = false;
    channel.writeAndFlush(frame, channel.voidPromise());
  }

  /** Replaces the payload acks carry; {@code frame} is a complete ack frame or null for none. */
  void setAckFrame(ByteBuf frame) {
    if (ackWithPayload != null) {
      ackWithPayload.release();
    }
    ackWithPayload = frame;
  }

  /**
   * Closes the connection for {@code reason}; with {@code goodbye}, a GOODBYE frame carrying the
   * reason goes out first. Later calls are ignored: the first reason is the one reported.
   */
  void close(String reason, boolean goodbye) {
    if (closeReason != null) {
      return;
    }
    if (goodbye) {
      channel.write(owner.goodbyeFrame(reason), channel.voidPromise());
    }
    flushIfNeeded();
    if (goodbye) {
      channel.flush();
    }
    closeReason = reason;
    closeDecidedNanos = System.nanoTime();
    // Closes at once, whatever is still queued for a peer that stopped reading. Bytes already
    // handed to the kernel (the GOODBYE to a reading peer) are still delivered before the FIN.
    channel.close();
  }

  /** Records the counter value the monitor closed this connection at (for the closed event). */
  void closeForTimeout(int missedTicks) {
    missedTicksAtClose = missedTicks;
    close(LifecycleEvents.TIMEOUT, true);
  }

  /**
   * Sends GOODBYE {@code reason} and leaves the connection open for the peer to leave; if it
   * closes, or is closed later for any cause, the close is reported with this reason.
   */
  void sayGoodbye(String reason) {
    if (closeReason == null && goodbyeSent == null) {
      goodbyeSent = reason;
      writeFrame(owner.goodbyeFrame(reason));
    }
  }

  int missedTicksAtClose() {
    return missedTicksAtClose;
  }

  /**
   * When the close was carried out on this side, or 0. The close callbacks of a batch run after
   * the whole batch, so this, not the callback's time, is when the peer was let go.
   */
  long closeDecidedNanos() {
    return closeDecidedNanos;
  }

  private void onException(Throwable error) {
    if (error instanceof DecoderException && error.getCause() instanceof SSLException) {
      error = error.getCause();
    }
    if (error instanceof IOException || error instanceof DecoderException) {
      // Socket errors, and TLS records that are not TLS (a plaintext client on a TLS port).
      ioErrorSeen = true;
      owner.ioError(this, error);
      if (closeReason == null) {
        closeReason = LifecycleEvents.IO_ERROR;
        channel.close();
      }
    } else {
      owner.unexpectedError(this, error);
    }
  }

  private void onClosed() {
    decoder.release();
    setAckFrame(null);
    String reason = goodbyeSent != null ? goodbyeSent : closeReason != null ? closeReason
        : ioErrorSeen ? LifecycleEvents.IO_ERROR : LifecycleEvents.PEER_CLOSED;
    closeReason = reason;
    owner.closed(this, reason);
  }
}
