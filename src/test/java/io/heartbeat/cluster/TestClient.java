package io.heartbeat.cluster;

import io.heartbeat.protocol.FrameDecoder;
import io.heartbeat.protocol.FrameEncoder;
import io.heartbeat.protocol.FrameHandler;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.IllegalFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A protocol client over a real socket (production encoder and decoder): sends heartbeats once
 * or periodically, remembers when it last sent one, and hands decoded frames to a handler.
 */
final class TestClient implements FrameHandler {

  /** One decoded frame. */
  record Frame(int type, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  private static final FrameEncoder ENCODER = new FrameEncoder(ByteOrder.LITTLE_ENDIAN);

  private final Vertx vertx;
  /** Held so it stays reachable: Vert.x closes a collected NetClient's sockets. */
  private final NetClient client;
  private final NetSocket socket;
  private final FrameDecoder decoder = new FrameDecoder(ByteOrder.LITTLE_ENDIAN, 1 << 16, this);
  private final Promise<Void> closed = Promise.promise();
  private volatile Consumer<Frame> onFrame = f -> { };
  private volatile long lastSentNanos;
  private long timer = -1;

  private TestClient(Vertx vertx, NetClient client, NetSocket socket) {
    this.vertx = vertx;
    this.client = client;
    this.socket = socket;
    socket.handler(b -> decoder.decode(Unpooled.wrappedBuffer(b.getBytes())));
    socket.closeHandler(v -> {
      stopHeartbeats();
      closed.tryComplete();
    });
  }

  static Future<TestClient> connect(Vertx vertx, int port) {
    NetClient client = vertx.createNetClient();
    return client.connect(port, "127.0.0.1").map(s -> new TestClient(vertx, client, s));
  }

  /** The address the server sees this client at ("127.0.0.1:port"). */
  String address() {
    return socket.localAddress().host() + ":" + socket.localAddress().port();
  }

  /** Completes when the server closed the connection. */
  Future<Void> closed() {
    return closed.future();
  }

  boolean isClosed() {
    return closed.future().isComplete();
  }

  /** Monotonic time of the last heartbeat written. */
  long lastSentNanos() {
    return lastSentNanos;
  }

  TestClient onFrame(Consumer<Frame> handler) {
    this.onFrame = handler;
    return this;
  }

  /** Sends one empty HEARTBEAT. */
  Future<Void> heartbeat() {
    lastSentNanos = System.nanoTime();
    return socket.write(Buffer.buffer(ByteBufUtil.getBytes(
        ENCODER.encode(FrameType.HEARTBEAT, null))));
  }

  /** Sends a heartbeat now and every {@code ms} until closed or stopped. */
  TestClient heartbeatEvery(long ms) {
    heartbeat();
    timer = vertx.setPeriodic(ms, t -> heartbeat());
    return this;
  }

  void stopHeartbeats() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  Future<Void> close() {
    stopHeartbeats();
    return socket.close();
  }

  @Override
  public void onFrame(int type, ByteBuf payload) {
    onFrame.accept(new Frame(type, ByteBufUtil.getBytes(payload)));
  }

  @Override
  public void onIllegalFrame(IllegalFrameException verdict) {
    throw new AssertionError("server sent an illegal frame: " + verdict.getMessage());
  }
}
