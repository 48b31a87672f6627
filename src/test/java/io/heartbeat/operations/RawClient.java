package io.heartbeat.operations;

import io.heartbeat.protocol.FrameDecoder;
import io.heartbeat.protocol.FrameEncoder;
import io.heartbeat.protocol.FrameHandler;
import io.heartbeat.protocol.IllegalFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A test client over a real socket: sends frames with the production encoder, decodes replies. */
final class RawClient implements FrameHandler {

  /** One decoded frame. */
  record Frame(int type, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  private static final FrameEncoder ENCODER = new FrameEncoder(ByteOrder.LITTLE_ENDIAN);

  final NetSocket socket;
  /**
   * Held so it stays reachable: Vert.x closes a NetClient, and its sockets, once the client
   * object is garbage-collected.
   */
  private final NetClient client;
  final List<Frame> received = new ArrayList<>();
  final Promise<Void> closed = Promise.promise();
  private final FrameDecoder decoder = new FrameDecoder(ByteOrder.LITTLE_ENDIAN, 1 << 20, this);
  private Consumer<Frame> onFrame = f -> { };

  private RawClient(NetClient client, NetSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.handler(b -> decoder.decode(Unpooled.wrappedBuffer(b.getBytes())));
    socket.closeHandler(v -> closed.tryComplete());
    socket.exceptionHandler(e -> error = e);
  }

  /** The last socket error, for failure messages. */
  Throwable error;

  static Future<RawClient> connect(Vertx vertx, int port) {
    return connect(vertx, port, new NetClientOptions());
  }

  static Future<RawClient> connect(Vertx vertx, int port, NetClientOptions options) {
    NetClient client = vertx.createNetClient(options);
    return client.connect(port, "127.0.0.1").map(socket -> new RawClient(client, socket));
  }

  RawClient onFrame(Consumer<Frame> handler) {
    this.onFrame = handler;
    return this;
  }

  Future<Void> send(int type, byte[] payload) {
    ByteBuf frame = ENCODER.encode(type, payload);
    return socket.write(Buffer.buffer(ByteBufUtil.getBytes(frame)));
  }

  @Override
  public void onFrame(int type, ByteBuf payload) {
    Frame frame = new Frame(type, ByteBufUtil.getBytes(payload));
    received.add(frame);
    onFrame.accept(frame);
  }

  @Override
  public void onIllegalFrame(IllegalFrameException verdict) {
    throw new AssertionError("server sent an illegal frame: " + verdict.getMessage());
  }
}
