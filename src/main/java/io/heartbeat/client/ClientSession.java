package io.heartbeat.client;

import io.heartbeat.protocol.FrameDecoder;
import io.heartbeat.protocol.FrameEncoder;
import io.heartbeat.protocol.FrameHandler;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.Hello;
import io.heartbeat.protocol.IllegalFrameException;
import io.heartbeat.protocol.Welcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * One connection of a {@link HeartbeatClient}: decodes the server's frames, answers probes,
 * sends heartbeats when the link has been quiet, judges the server dead after serverTimeoutMs of
 * silence, and reports how the connection ended. While the server timeout is on, at most one
 * heartbeat is unanswered: after one, the next waits until any frame has arrived, so a server
 * that does not ack sees the client fall silent and probes it (see
 * {@link HeartbeatClientOptions#setServerTimeoutMs}). One re-armed timer per session, set for the
 * earliest deadline (the way Netty's IdleStateHandler works): writes and reads only move
 * timestamps. Confined to the client's context.
 *
 * <p>With a client id (protocol 1.1) the first frame is a HELLO; until the WELCOME no heartbeat
 * goes out and serverTimeoutMs bounds the wait; from the WELCOME on, the heartbeat interval is
 * the granted one and the server timeout is {@link SessionGrant#serverDeadAfterMs()}.
 */
final class ClientSession implements FrameHandler, WelcomeReader.Listener {

  /** What a session reports to its client. */
  interface Listener {
    void onData(Buffer payload);

    void onAck(Buffer payload);

    /** The server's WELCOME arrived: the session is open. */
    void onOpened(ClientSession session, SessionGrant grant);

    void onClosed(ClientSession session, DisconnectReason reason);
  }

  /** GOODBYE reason this client sends when the application closes it. */
  static final String GOODBYE_CLOSED = "closed";
  /** GOODBYE reason this client sends when it gives up on a silent server. */
  static final String GOODBYE_SERVER_TIMEOUT = "server-timeout";

  private final NetSocket socket;
  private final FrameDecoder decoder;
  private final WelcomeReader reader;
  /** The HELLO to send first, or null for a version 1 client. */
  private final Hello hello;
  private final FrameEncoder encoder;
  private final ByteOrder encoderOrder;
  /** The empty frame of each type, indexed by type code (socket.write sends a fresh view). */
  private final Buffer[] emptyFrames = new Buffer[FrameType.GOODBYE + 1];
  private final Timers timers;
  private final Listener listener;
  private final Supplier<Buffer> heartbeatPayload;
  /** Heartbeat interval: the option's, or (session) 0 until the WELCOME, then the grant. */
  private long intervalNanos;
  private long timeoutNanos;
  /** Server silence after which a heartbeat is sent to draw an ack; 0 when there is no timeout. */
  private long solicitNanos;
  /** What the WELCOME granted; null before it and for a version 1 client. */
  private SessionGrant grant;

  /** When the connection started (the HELLO went out). */
  private long startNanos;
  private long lastSentNanos;
  private long lastReceivedNanos;
  private long lastHeartbeatNanos;
  /** A heartbeat went out and nothing has arrived since (only tracked with a server timeout). */
  private boolean heartbeatUnanswered;
  private long probesAnswered;
  private long timer = -1;
  /** Our own decision to close, once taken; the first one wins. */
  private DisconnectReason decided;
  private String goodbyeReason;
  private Throwable ioError;
  private boolean closed;

  ClientSession(NetSocket socket, HeartbeatClientOptions options, Timers timers,
      Listener listener, Supplier<Buffer> heartbeatPayload) {
    this.socket = socket;
    this.encoder = new FrameEncoder(options.getByteOrder());
    this.encoderOrder = options.getByteOrder();
    for (int type = 0; type < emptyFrames.length; type++) {
      emptyFrames[type] = Buffer.buffer(ByteBufUtil.getBytes(encoder.emptyFrame(type)));
    }
    this.decoder = new FrameDecoder(options.getByteOrder(), options.getMaxPayloadBytes(), this);
    String clientId = options.getClientId();
    String token = options.getToken();
    this.hello = clientId == null ? null
        : new Hello(options.getRequestedIntervalMs(), clientId, token == null ? "" : token);
    this.reader = new WelcomeReader(decoder, options.getByteOrder(), options.getMaxPayloadBytes(),
        hello != null, this);
    this.timers = timers;
    this.listener = listener;
    this.heartbeatPayload = heartbeatPayload;
    this.timeoutNanos = options.getServerTimeoutMs() * 1_000_000;
    if (hello == null) {
      this.intervalNanos = options.getHeartbeatIntervalMs() * 1_000_000;
      this.solicitNanos = timeoutNanos == 0 ? 0 : Math.max(intervalNanos, timeoutNanos / 2);
    }
  }

  /** Wires the socket and starts the clocks; call once. */
  void start() {
    long now = System.nanoTime();
    startNanos = now;
    lastSentNanos = now;
    lastReceivedNanos = now;
    lastHeartbeatNanos = now;
    socket.handler(bytes -> reader.feed(Unpooled.wrappedBuffer(bytes.getBytes())));
    socket.exceptionHandler(error -> {
      ioError = error;
      socket.close();
    });
    socket.closeHandler(v -> onSocketClosed());
    if (hello != null) {
      write(FrameType.HELLO, Buffer.buffer(hello.payload(encoderOrder)));
    }
    arm(now);
  }

  /** The session's grant, or null before the WELCOME and for a version 1 client. */
  SessionGrant grant() {
    return grant;
  }

  @Override
  public void onWelcome(Welcome welcome) {
    if (decided != null || closed) {
      return;
    }
    grant = SessionGrant.of(welcome);
    long now = System.nanoTime();
    lastReceivedNanos = now;
    intervalNanos = grant.intervalMs() * 1_000_000L;
    if (timeoutNanos > 0) {
      // Solicit after one interval of server silence: the dead-server rule of the grant assumes
      // a heartbeat within intervalMs of the server's last frame.
      timeoutNanos = grant.serverDeadAfterMs() * 1_000_000;
      solicitNanos = intervalNanos;
    }
    timer = timers.cancel(timer);
    arm(now);
    listener.onOpened(this, grant);
  }

  @Override
  public void onMalformedWelcome(IllegalFrameException verdict) {
    close(DisconnectReason.of(DisconnectReason.Kind.PROTOCOL_ERROR, verdict.getMessage()));
  }

  /** Sends a DATA frame; it counts as a sign of life, so it postpones the next heartbeat. */
  Future<Void> send(Buffer payload) {
    if (closed || decided != null) {
      return Future.failedFuture(new IllegalStateException("connection is closing"));
    }
    return write(FrameType.DATA, payload);
  }

  /**
   * Closes for {@code reason} (GOODBYE first unless it is a protocol error, where the protocol
   * says nothing goes back). The listener hears of it when the socket has closed.
   */
  void close(DisconnectReason reason) {
    if (decided != null || closed) {
      return;
    }
    decided = reason;
    timer = timers.cancel(timer);
    if (reason.kind() == DisconnectReason.Kind.CLOSED_BY_APPLICATION) {
      write(FrameType.GOODBYE, Buffer.buffer(GOODBYE_CLOSED));
    } else if (reason.kind() == DisconnectReason.Kind.SERVER_TIMEOUT) {
      write(FrameType.GOODBYE, Buffer.buffer(GOODBYE_SERVER_TIMEOUT));
    }
    socket.close();
  }

  @Override
  public void onFrame(int type, ByteBuf payload) {
    if (decided != null) {
      return;
    }
    lastReceivedNanos = System.nanoTime();
    boolean answered = heartbeatUnanswered;
    heartbeatUnanswered = false;
    switch (type) {
      case FrameType.HEARTBEAT:
        // A server probe: answer at once, whatever our own schedule says.
        write(FrameType.HEARTBEAT_ACK, null);
        probesAnswered++;
        break;
      case FrameType.DATA:
        listener.onData(copy(payload));
        break;
      case FrameType.HEARTBEAT_ACK:
        listener.onAck(copy(payload));
        break;
      case FrameType.GOODBYE:
        goodbyeReason = payload.toString(StandardCharsets.UTF_8);
        break;
      default:
        // A decoder that knows the session types hands a WELCOME here only out of turn.
        close(DisconnectReason.of(DisconnectReason.Kind.PROTOCOL_ERROR, unexpected(type)));
        return;
    }
    if (answered && decided == null && !closed) {
      // The first frame after our heartbeat: the timer was set for the timeout only, and the
      // next heartbeat may be due already. Once per heartbeat, never per frame.
      timer = timers.cancel(timer);
      arm(System.nanoTime());
    }
  }

  @Override
  public void onIllegalFrame(IllegalFrameException verdict) {
    String why = verdict.type() == FrameType.WELCOME
        && verdict.reason() == IllegalFrameException.Reason.UNKNOWN_TYPE
        ? unexpected(FrameType.WELCOME) : verdict.getMessage();
    close(DisconnectReason.of(DisconnectReason.Kind.PROTOCOL_ERROR, why));
  }

  /** Why a frame of {@code type} that the reader did not take is a protocol error. */
  private String unexpected(int type) {
    if (type != FrameType.WELCOME) {
      return "unexpected " + FrameType.name(type) + " frame from the server";
    }
    return hello == null ? "WELCOME from the server, but this client sent no HELLO"
        : "a second WELCOME from the server";
  }

  private void onTimer() {
    timer = -1;
    if (decided != null || closed) {
      return;
    }
    long now = System.nanoTime();
    if (timeoutNanos > 0 && now - timeoutBase() >= timeoutNanos) {
      long silentMs = (now - timeoutBase()) / 1_000_000;
      close(DisconnectReason.of(DisconnectReason.Kind.SERVER_TIMEOUT, awaitingWelcome()
          ? "no WELCOME within " + silentMs + " ms of the HELLO"
          : "nothing received for " + silentMs + " ms"));
      return;
    }
    if (intervalNanos > 0 && !heartbeatUnanswered && now >= heartbeatDue()) {
      Buffer payload = heartbeatPayload == null ? null : heartbeatPayload.get();
      write(FrameType.HEARTBEAT, payload);
      lastHeartbeatNanos = lastSentNanos;
      heartbeatUnanswered = solicitNanos != 0;
    }
    arm(now);
  }

  /** Server probes answered on this connection. */
  long probesAnswered() {
    return probesAnswered;
  }

  /**
   * When the next heartbeat is due: one interval after our last send of any kind; or, while the
   * server is silent, once its silence reaches half the server timeout (and then at most once
   * per interval), to draw an ack. The second rule keeps a live server that has nothing to say
   * from being judged dead while we only send DATA, at a fraction of the idle heartbeat rate.
   * The caller sends none while a heartbeat is unanswered (with a server timeout): a server that
   * does not ack must see us silent for its probeAfterMissed ticks, or it never probes and never
   * speaks.
   */
  private long heartbeatDue() {
    long quietSend = lastSentNanos + intervalNanos;
    if (solicitNanos == 0) {
      return quietSend;
    }
    long solicit = Math.max(lastReceivedNanos + solicitNanos, lastHeartbeatNanos + intervalNanos);
    return quietSend - solicit < 0 ? quietSend : solicit;
  }

  private void arm(long now) {
    long next = Long.MAX_VALUE;
    if (intervalNanos > 0 && !heartbeatUnanswered) {
      next = heartbeatDue();  // while a heartbeat is unanswered, only the timeout counts
    }
    long timeoutAt = timeoutBase() + timeoutNanos;
    if (timeoutNanos > 0 && (next == Long.MAX_VALUE || timeoutAt - next < 0)) {
      next = timeoutAt;
    }
    if (next != Long.MAX_VALUE) {
      long delayMs = Math.max(1, (next - now + 999_999) / 1_000_000);
      timer = timers.set(delayMs, id -> onTimer());
    }
  }

  private boolean awaitingWelcome() {
    return hello != null && grant == null;
  }

  /**
   * Where the server timeout counts from: the HELLO while the WELCOME is awaited (other frames
   * before it do not extend the wait), the server's last frame after.
   */
  private long timeoutBase() {
    return awaitingWelcome() ? startNanos : lastReceivedNanos;
  }

  private Future<Void> write(int type, Buffer payload) {
    Buffer bytes;
    if (payload == null || payload.length() == 0) {
      // Heartbeats and probe answers: the same bytes every time, encoded once per session.
      bytes = emptyFrames[type];
    } else {
      bytes = Buffer.buffer(ByteBufUtil.getBytes(encoder.encode(type, payload.getBytes())));
    }
    lastSentNanos = System.nanoTime();
    return socket.write(bytes);
  }

  private void onSocketClosed() {
    if (closed) {
      return;
    }
    closed = true;
    timer = timers.cancel(timer);
    decoder.release();
    DisconnectReason reason = decided;
    if (reason == null) {
      if (goodbyeReason != null) {
        reason = DisconnectReason.goodbye(goodbyeReason);
      } else if (ioError != null) {
        reason = DisconnectReason.of(DisconnectReason.Kind.IO_ERROR, String.valueOf(
            ioError.getMessage()));
      } else {
        reason = DisconnectReason.of(DisconnectReason.Kind.PEER_CLOSED, null);
      }
    }
    listener.onClosed(this, reason);
  }

  private static Buffer copy(ByteBuf payload) {
    return Buffer.buffer(ByteBufUtil.getBytes(payload));
  }
}
