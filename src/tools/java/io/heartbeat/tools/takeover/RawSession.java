package io.heartbeat.tools.takeover;

import io.heartbeat.protocol.FrameDecoder;
import io.heartbeat.protocol.FrameEncoder;
import io.heartbeat.protocol.FrameHandler;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.Hello;
import io.heartbeat.protocol.IllegalFrameException;
import io.heartbeat.protocol.Welcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One protocol 1.1 session on a raw socket (little-endian frames): sends HELLO, records when the
 * WELCOME, a GOODBYE and the end of the stream arrive ({@link System#nanoTime()}, on the
 * socket's event loop), and heartbeats at the granted interval so a kept session stays open
 * for the whole run. All fields are written on the socket's event loop; read them after
 * {@link #closed()} completes or from that loop.
 */
final class RawSession implements FrameHandler {

  private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
  private static final FrameEncoder ENCODER = new FrameEncoder(ORDER);
  private static final Buffer HEARTBEAT = Buffer.buffer(ENCODER.frameBytes(FrameType.HEARTBEAT,
      null));

  private final Vertx vertx;
  private final FrameDecoder decoder = new FrameDecoder(ORDER, 65_536, this);
  private final Promise<Welcome> welcomed = Promise.promise();
  private final Promise<Void> closed = Promise.promise();
  private NetSocket socket;
  private long heartbeatTimer = -1;
  private volatile long welcomeNanos;
  private volatile long connectionId = -1;
  private volatile long goodbyeNanos;
  private volatile String goodbyeReason;
  private volatile long eofNanos;
  private volatile String problem;

  private RawSession(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Connects to 127.0.0.1:{@code port} and sends a HELLO for {@code clientId}. */
  static Future<RawSession> open(Vertx vertx, NetClient client, int port, String clientId) {
    RawSession session = new RawSession(vertx);
    return client.connect(port, "127.0.0.1").map(socket -> {
      session.attach(socket, clientId);
      return session;
    });
  }

  private void attach(NetSocket s, String clientId) {
    socket = s;
    s.handler(buffer -> decoder.decode(Unpooled.wrappedBuffer(buffer.getBytes())));
    s.closeHandler(v -> {
      eofNanos = System.nanoTime();
      if (heartbeatTimer >= 0) {
        vertx.cancelTimer(heartbeatTimer);
      }
      decoder.release();
      welcomed.tryFail("closed before WELCOME" + (goodbyeReason == null ? ""
          : " (GOODBYE " + goodbyeReason + ")"));
      closed.tryComplete();
    });
    s.write(Buffer.buffer(ENCODER.frameBytes(FrameType.HELLO,
        new Hello(0, clientId, "").payload(ORDER))));
  }

  @Override
  public void onFrame(int type, ByteBuf payload) {
    long now = System.nanoTime();
    if (type == FrameType.WELCOME) {
      try {
        Welcome welcome = Welcome.decode(payload, ORDER);
        welcomeNanos = now;
        connectionId = welcome.connectionId();
        heartbeatTimer = vertx.setPeriodic(welcome.intervalMs(),
            id -> socket.write(HEARTBEAT.copy()));
        welcomed.tryComplete(welcome);
      } catch (IllegalFrameException e) {
        problem = "bad WELCOME: " + e.getMessage();
        welcomed.tryFail(problem);
        socket.close();
      }
    } else if (type == FrameType.GOODBYE) {
      goodbyeNanos = now;
      goodbyeReason = payload.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void onIllegalFrame(IllegalFrameException verdict) {
    problem = "illegal frame from the server: " + verdict.getMessage();
    socket.close();
  }

  /** Completes when the WELCOME arrived; fails if the stream ended first. */
  Future<Welcome> welcomed() {
    return welcomed.future();
  }

  /** Completes when the stream ended (EOF or our own close). */
  Future<Void> closed() {
    return closed.future();
  }

  /** Closes from this side. */
  Future<Void> close() {
    return socket.close().compose(v -> closed.future());
  }

  boolean isOpen() {
    return !closed.future().isComplete();
  }

  long welcomeNanos() {
    return welcomeNanos;
  }

  /** The connection id the WELCOME gave, -1 before it. */
  long connectionId() {
    return connectionId;
  }

  long goodbyeNanos() {
    return goodbyeNanos;
  }

  String goodbyeReason() {
    return goodbyeReason;
  }

  long eofNanos() {
    return eofNanos;
  }

  String problem() {
    return problem;
  }
}
