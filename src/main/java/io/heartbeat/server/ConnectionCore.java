package io.heartbeat.server;

import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.protocol.FrameDecoder;
import io.heartbeat.protocol.FrameHandler;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.Hello;
import io.heartbeat.protocol.IllegalFrameException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * One connection's protocol state, without a socket and without a clock: it takes the bytes
 * read and the time they were read, decodes them, decides what to answer (acks, probes,
 * GOODBYE) and when to close, and tells its edge ({@link ConnectionOutput}) what to write and
 * its I/O instance ({@link ConnectionListener}) what happened. Every time is an argument in
 * {@link System#nanoTime()} units, so tests drive it with a fake clock.
 *
 * <p>Writes: acks and probes to a peer that is not reading are dropped, not queued (a client
 * that never calls recv must not be closed because acks piled up); only application data that
 * cannot be queued marks the peer as having stopped reading, and the instance closes it
 * (slow-consumer) if it stays so for a tick.
 *
 * <p>Sessions (protocol 1.1): a HELLO is legal only as the first frame; it is decoded here
 * (malformed = illegal input) and handed to the instance, which opens the session
 * asynchronously and calls {@link #welcome} or {@link #close}. When the instance requires
 * sessions, a first frame that is not a HELLO gets GOODBYE {@code unauthorized}. A WELCOME from
 * the client is illegal input.
 *
 * <p>Confined to the event loop of its I/O instance.
 */
public final class ConnectionCore implements FrameHandler {

  /** No complete frame yet. */
  private static final byte NO_FRAME = 0;
  /** The first frame was not a HELLO: a version 1 connection. */
  private static final byte VERSION_1 = 1;
  /** A HELLO arrived; the instance is opening the session. */
  private static final byte OPENING = 2;
  /** WELCOME sent. */
  private static final byte OPEN = 3;

  private final long id;
  private final ConnectionOutput out;
  private final ConnectionListener listener;
  private final CorePolicy policy;
  private final FrameDecoder decoder;
  private final long openedNanos;
  private long lastFrameNanos;
  /** When the bytes being decoded were read. */
  private long readNanos;
  private boolean framed;
  private byte session = NO_FRAME;
  /** The connection's interval in ticks: 1 for version 1, the grant's k for a session. */
  private int intervalTicks = 1;
  /** The session's client id, or null. */
  private String clientId;
  private boolean flushNeeded;
  /** Whether the instance's next activity batch lists this connection already. */
  private boolean activityPending;
  /** A whole HEARTBEAT_ACK frame with the application's payload, or null for empty acks. */
  private byte[] ackFrame;
  /** Reason of a GOODBYE sent while the connection stays open (drain), or null. */
  private String goodbyeSent;
  /** Why this side is closing, once decided; the first decision wins. */
  private String closeReason;
  private int missedTicksAtClose = -1;
  private long closeDecidedNanos;
  /** Whether application data was refused because the peer stopped reading, and since when. */
  private boolean stoppedReading;
  private long stoppedReadingNanos;

  ConnectionCore(long id, ConnectionOutput out, ConnectionListener listener, CorePolicy policy,
      FrameDecoderFactory decoders, long nowNanos) {
    this.id = id;
    this.out = out;
    this.listener = listener;
    this.policy = policy;
    this.decoder = decoders.create(this);
    this.openedNanos = nowNanos;
    this.lastFrameNanos = nowNanos;
  }

  /** Makes a connection's decoder; one per I/O instance (byte order and payload limit). */
  interface FrameDecoderFactory {
    FrameDecoder create(FrameHandler handler);
  }

  public long id() {
    return id;
  }

  public String remoteAddress() {
    return out.remoteAddress();
  }

  public String remoteHost() {
    return out.remoteHost();
  }

  /**
   * Decodes bytes read at {@code nowNanos}; does not release {@code in}. Bytes that arrive after
   * this side decided to close are ignored.
   */
  public void onBytes(ByteBuf in, long nowNanos) {
    if (closeReason == null) {
      readNanos = nowNanos;
      decoder.decode(in);
    } else {
      in.skipBytes(in.readableBytes());
    }
  }

  /** The end of a burst of reads: what was queued goes out in one flush. */
  public void onReadComplete() {
    if (flushNeeded) {
      flushNeeded = false;
      out.flush();
    }
  }

  @Override
  public void onFrame(int type, ByteBuf payload) {
    if (closeReason != null) {
      return;
    }
    if (session == NO_FRAME) {
      if (type == FrameType.HELLO) {
        onHello(payload);
        return;
      }
      if (policy.sessionRequired) {
        listener.sessionRefused(this, LifecycleEvents.UNAUTHORIZED);
        close(LifecycleEvents.UNAUTHORIZED, policy.unauthorizedGoodbye, readNanos);
        return;
      }
      session = VERSION_1;
    }
    framed = true;
    switch (type) {
      case FrameType.HEARTBEAT:
        alive();
        if (payload.isReadable()) {
          listener.data(this, true, payload);
        }
        listener.heartbeat(this, policy.ackHeartbeats && ack());
        break;
      case FrameType.DATA:
        if (policy.dataCountsAsActivity) {
          alive();
        }
        if (session == OPENING && policy.sessionRequired) {
          // Not authenticated yet: a client must wait for WELCOME before it sends data.
          listener.dataBeforeWelcome(this);
        } else {
          listener.data(this, false, payload);
        }
        break;
      case FrameType.HELLO:
        onIllegalFrame(IllegalFrameException.misplaced(type, payload.readableBytes(),
            session == VERSION_1 ? "a HELLO after other frames" : "a second HELLO"));
        break;
      case FrameType.WELCOME:
        onIllegalFrame(IllegalFrameException.misplaced(type, payload.readableBytes(),
            "a WELCOME sent by a client"));
        break;
      default:
        // HEARTBEAT_ACK answers our probe; GOODBYE announces a close: both are signs of life.
        alive();
        if (type == FrameType.GOODBYE) {
          listener.goodbye(this, payload.toString(StandardCharsets.UTF_8));
        }
        break;
    }
  }

  @Override
  public void onIllegalFrame(IllegalFrameException verdict) {
    listener.protocolError(this, verdict);
    close(LifecycleEvents.PROTOCOL_ERROR, null, readNanos);
  }

  private void onHello(ByteBuf payload) {
    Hello hello;
    try {
      hello = Hello.decode(payload, policy.byteOrder, policy.maxTokenBytes);
    } catch (IllegalFrameException malformed) {
      onIllegalFrame(malformed);
      return;
    }
    framed = true;
    session = OPENING;
    alive();
    listener.hello(this, hello);
  }

  /**
   * Opens the session the instance granted: sends {@code welcomeFrame} (even to a peer that is
   * not reading: it is one small frame the client waits for), from now on the connection is
   * judged by {@code intervalTicks} and known by {@code clientId}, and the next activity batch
   * carries the new interval to the monitor. The window restarts at {@code nowNanos}: a client
   * waits silently for its WELCOME, and the time the server took to open the session (a
   * credential checked on a worker, an id claimed cluster-wide) is not the client's silence.
   * Returns false when the connection is closing.
   */
  public boolean welcome(byte[] welcomeFrame, int intervalTicks, String clientId,
      long nowNanos) {
    if (closeReason != null || session != OPENING) {
      return false;
    }
    session = OPEN;
    lastFrameNanos = Math.max(lastFrameNanos, nowNanos);
    this.intervalTicks = Math.max(1, intervalTicks);
    this.clientId = clientId;
    out.write(welcomeFrame);
    flushNeeded = false;
    out.flush();
    if (!activityPending) {
      activityPending = true;
      listener.active(this);
    }
    return true;
  }

  /** The session's client id once WELCOME was sent, else null. */
  public String clientId() {
    return clientId;
  }

  /** The interval this connection is judged by, in ticks (1 for version 1). */
  public int intervalTicks() {
    return intervalTicks;
  }

  /** Whether a HELLO arrived and the session is still being opened (no WELCOME yet). */
  boolean isOpeningSession() {
    return session == OPENING;
  }

  /** Whether a session is open (WELCOME sent). */
  public boolean hasSession() {
    return session == OPEN;
  }

  private void alive() {
    lastFrameNanos = readNanos;
    if (!activityPending) {
      activityPending = true;
      listener.active(this);
    }
  }

  private boolean ack() {
    if (!out.writable()) {
      return false;
    }
    if (ackFrame != null) {
      out.write(ackFrame);
    } else {
      out.writeEmpty(FrameType.HEARTBEAT_ACK);
    }
    flushNeeded = true;
    return true;
  }

  /**
   * Sends a server HEARTBEAT unless the peer is not reading. Returns whether it went out.
   */
  public boolean probe() {
    if (closeReason != null || !out.writable()) {
      return false;
    }
    out.writeEmpty(FrameType.HEARTBEAT);
    flushNeeded = false;
    out.flush();
    return true;
  }

  /**
   * Sends an application frame (DATA) now. If the peer is not reading, the frame is dropped
   * and the connection marked as having stopped reading; returns whether it was queued.
   */
  public boolean sendApplicationFrame(byte[] frame, long nowNanos) {
    if (closeReason != null) {
      return false;
    }
    if (!out.writable()) {
      if (!stoppedReading) {
        stoppedReading = true;
        stoppedReadingNanos = nowNanos;
        listener.stoppedReading(this);
      }
      return false;
    }
    stoppedReading = false;
    out.write(frame);
    flushNeeded = false;
    out.flush();
    return true;
  }

  /** Replaces the frame acks are answered with; null for empty acks. */
  public void setAckFrame(byte[] frame) {
    ackFrame = frame;
  }

  /**
   * Whether the peer stopped reading application data a tick or more ago and still does not
   * read; clears the mark when it reads again.
   */
  boolean stoppedReadingFor(long tickNanos, long nowNanos) {
    if (stoppedReading && out.writable()) {
      stoppedReading = false;
    }
    return stoppedReading && nowNanos - stoppedReadingNanos >= tickNanos;
  }

  boolean isWatchedAsStoppedReading() {
    return stoppedReading;
  }

  /**
   * Closes for {@code reason}; with a non-null {@code goodbyeFrame}, that GOODBYE goes out first
   * (even to a peer that is not reading: it is the last write). Later calls are ignored.
   */
  public void close(String reason, byte[] goodbyeFrame, long nowNanos) {
    if (closeReason != null) {
      return;
    }
    if (goodbyeFrame != null) {
      out.write(goodbyeFrame);
    }
    flushNeeded = false;
    out.flush();
    closeReason = reason;
    closeDecidedNanos = nowNanos;
    out.close();
  }

  /** A timeout close decided by the monitor at counter {@code missedTicks}. */
  void closeForTimeout(int missedTicks, byte[] goodbyeFrame, long nowNanos) {
    if (closeReason == null) {
      missedTicksAtClose = missedTicks;
    }
    close(LifecycleEvents.TIMEOUT, goodbyeFrame, nowNanos);
  }

  /**
   * Sends GOODBYE and leaves the connection open for the peer to leave; however it closes
   * later, the close is reported with {@code reason}. Once only.
   */
  void sayGoodbye(String reason, byte[] goodbyeFrame) {
    if (closeReason == null && goodbyeSent == null && out.writable()) {
      goodbyeSent = reason;
      out.write(goodbyeFrame);
      flushNeeded = false;
      out.flush();
    }
  }

  /**
   * A socket error: reported, and the socket is closed (reason io-error). Errors after this
   * side decided to close (writes cut short by its own close) are not the peer's doing and are
   * not reported.
   */
  public void onIoError(Throwable error) {
    if (closeReason != null) {
      return;
    }
    listener.ioError(this, error);
    closeReason = LifecycleEvents.IO_ERROR;
    out.close();
  }

  /** The socket closed, whoever closed it. Call once. */
  public void onClosed() {
    decoder.release();
    ackFrame = null;
    String reason = goodbyeSent != null ? goodbyeSent : closeReason != null ? closeReason
        : LifecycleEvents.PEER_CLOSED;
    closeReason = reason;
    listener.closed(this, reason);
  }

  /** Lists this connection in no activity batch until it shows life again. */
  void activityReported() {
    activityPending = false;
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

  /** Why this side closed or is closing, or {@code otherwise} when it has not decided. */
  String closeReasonOr(String otherwise) {
    return closeReason != null ? closeReason : otherwise;
  }

  /** The counter the monitor closed this connection at, or -1 if it was not a timeout. */
  int missedTicksAtClose() {
    return missedTicksAtClose;
  }

  /** When this side decided to close, or 0 if the peer went first. */
  long closeDecidedNanos() {
    return closeDecidedNanos;
  }
}
