package io.heartbeat.testing;

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
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The protocol test client: a client over a real TCP socket (Vert.x NetClient, plain or TLS),
 * for integration tests. Frames
 * are built with the production {@link FrameEncoder}; everything received is decoded with the
 * production {@link FrameDecoder}. It records what it sent and received, and when, with
 * {@link System#nanoTime()} (the clock the server uses, since both run in this JVM).
 *
 * <p>Thread-safe: socket callbacks run on the client's event loop, tests may call it from timers
 * on other loops ({@code NetSocket.write} is thread-safe).
 */
public final class FrameClient {

  /** A frame received from the server. */
  public record Frame(int type, byte[] payload) {

    /** The payload as UTF-8 text. */
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** Whether this is a frame of {@code type} whose payload is {@code text} in UTF-8. */
    public boolean is(int type, String text) {
      return this.type == type && text().equals(text);
    }

    @Override
    public String toString() {
      return FrameType.name(type) + (payload.length == 0 ? "" : "(" + text() + ")");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Frame f && f.type == type && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
      return 31 * type + Arrays.hashCode(payload);
    }
  }

  private final Vertx vertx;
  /**
   * Held on purpose: Vert.x closes a NetClient, and its sockets, once the client object becomes
   * unreachable, so a socket kept only through its channel can close under a GC.
   */
  private final NetClient netClient;
  private final NetSocket socket;
  private final ByteOrder order;
  private final FrameDecoder decoder;
  private final long connectedNanos;
  private final Promise<Long> closed = Promise.promise();
  private final Arrivals<Frame> frames = new Arrivals<>();
  private final AtomicLong bytesReceived = new AtomicLong();
  private volatile long lastFrameSentNanos;
  private volatile long lastRawByteSentNanos;
  private volatile Consumer<Frame> frameListener = f -> { };
  private volatile String illegalReply;
  private volatile Throwable error;
  private volatile long heartbeatTimer = -1;

  private FrameClient(Vertx vertx, NetClient netClient, NetSocket socket, ByteOrder order) {
    this.vertx = vertx;
    this.netClient = netClient;
    this.socket = socket;
    this.order = order;
    this.connectedNanos = System.nanoTime();
    this.decoder = new FrameDecoder(order, 16 * 1024 * 1024, new FrameHandler() {
      @Override
      public void onFrame(int type, ByteBuf payload) {
        Frame frame = new Frame(type, ByteBufUtil.getBytes(payload));
        frameListener.accept(frame);
        frames.add(frame);
      }

      @Override
      public void onIllegalFrame(IllegalFrameException verdict) {
        illegalReply = verdict.getMessage();
      }
    });
    socket.handler(this::onBytes);
    // A reset after the server's close is expected; kept for failure messages (a TLS alert).
    socket.exceptionHandler(e -> error = e);
    socket.closeHandler(v -> {
      stopHeartbeats();
      closed.tryComplete(System.nanoTime());
    });
  }

  /** Connects to 127.0.0.1:{@code port}, little-endian frames. */
  public static Future<FrameClient> connect(Vertx vertx, int port) {
    return connect(vertx, port, ByteOrder.LITTLE_ENDIAN);
  }

  /** Connects to 127.0.0.1:{@code port} with frames in {@code order}. */
  public static Future<FrameClient> connect(Vertx vertx, int port, ByteOrder order) {
    return connect(vertx, port, order, new NetClientOptions().setTcpNoDelay(true));
  }

  /**
   * Connects to 127.0.0.1:{@code port} with {@code options} (TLS, timeouts), little-endian
   * frames. A failed connect or TLS handshake fails the future.
   */
  public static Future<FrameClient> connect(Vertx vertx, int port, NetClientOptions options) {
    return connect(vertx, port, ByteOrder.LITTLE_ENDIAN, options);
  }

  private static Future<FrameClient> connect(Vertx vertx, int port, ByteOrder order,
      NetClientOptions options) {
    NetClient netClient = vertx.createNetClient(options);
    return netClient.connect(port, "127.0.0.1")
        .map(socket -> new FrameClient(vertx, netClient, socket, order))
        .onFailure(e -> netClient.close());
  }

  /** The bytes of one frame encoded by the production encoder. */
  public static byte[] frameBytes(ByteOrder order, int type, byte[] payload) {
    ByteBuf frame = new FrameEncoder(order).encode(type, payload);
    try {
      return ByteBufUtil.getBytes(frame);
    } finally {
      frame.release();
    }
  }

  /** UTF-8 bytes of {@code text}. */
  public static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Concatenates byte arrays. */
  public static byte[] concat(byte[]... parts) {
    Buffer out = Buffer.buffer();
    for (byte[] part : parts) {
      out.appendBytes(part);
    }
    return out.getBytes();
  }

  private void onBytes(Buffer buffer) {
    bytesReceived.addAndGet(buffer.length());
    ByteBuf bytes = Unpooled.wrappedBuffer(buffer.getBytes());
    try {
      decoder.decode(bytes);
    } finally {
      bytes.release();
    }
  }

  /**
   * Sends one complete frame; its send time becomes {@link #lastFrameSentNanos()}.
   *
   * @return completes when the bytes are written to the socket
   */
  public Future<Void> send(int type, byte[] payload) {
    byte[] bytes = frameBytes(order, type, payload);
    lastFrameSentNanos = System.nanoTime();
    return socket.write(Buffer.buffer(bytes));
  }

  /** Sends a HEARTBEAT with an empty payload. */
  public Future<Void> heartbeat() {
    return send(FrameType.HEARTBEAT, null);
  }

  /**
   * Sends a HEARTBEAT now and one every {@code periodMs} until the connection closes or
   * {@link #stopHeartbeats()}.
   */
  public FrameClient heartbeatEvery(long periodMs) {
    stopHeartbeats();
    heartbeat();
    heartbeatTimer = vertx.setPeriodic(periodMs, t -> heartbeat());
    return this;
  }

  /** Stops the heartbeats {@link #heartbeatEvery(long)} started, if any. */
  public void stopHeartbeats() {
    long timer = heartbeatTimer;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      heartbeatTimer = -1;
    }
  }

  /**
   * Sends {@code times} frames of {@code type}, the first now and then one every
   * {@code periodMs}, stopping early if the connection closes. Frame {@code i} (from 0) carries
   * {@code payload.apply(i)}.
   *
   * @return completes with the number of frames sent
   */
  public Future<Integer> sendEvery(long periodMs, int times, int type,
      IntFunction<byte[]> payload) {
    Promise<Integer> done = Promise.promise();
    int[] sent = {0};
    Runnable next = () -> {
      if (isClosed() || sent[0] == times) {
        done.tryComplete(sent[0]);
        return;
      }
      send(type, payload.apply(sent[0]++));
    };
    next.run();
    if (!done.future().isComplete()) {
      vertx.setPeriodic(periodMs, timer -> {
        next.run();
        if (done.future().isComplete()) {
          vertx.cancelTimer(timer);
        }
      });
    }
    return done.future();
  }

  /** Writes bytes as they are (malformed or partial input); not counted as a frame sent. */
  public Future<Void> writeRaw(byte[] bytes) {
    lastRawByteSentNanos = System.nanoTime();
    return socket.write(Buffer.buffer(bytes));
  }

  /**
   * Writes {@code bytes} one at a time, one every {@code intervalMs}, the first after one
   * interval, until all are written or the connection closes. Never counted as a frame sent.
   *
   * @return completes when the drip stops
   */
  public Future<Void> drip(byte[] bytes, long intervalMs) {
    Promise<Void> done = Promise.promise();
    long[] next = {0};
    vertx.setPeriodic(intervalMs, timer -> {
      if (isClosed() || next[0] == bytes.length) {
        vertx.cancelTimer(timer);
        done.tryComplete();
        return;
      }
      writeRaw(new byte[] {bytes[(int) next[0]++]});
    });
    return done.future();
  }

  /** Called with every frame received, on the client's event loop, before waiters complete. */
  public FrameClient onFrame(Consumer<Frame> listener) {
    this.frameListener = listener;
    return this;
  }

  /** Closes the socket from the client side (and stops any periodic heartbeats). */
  public Future<Void> close() {
    stopHeartbeats();
    return socket.close().eventually(() -> netClient.close());
  }

  /** The last socket error seen (a reset, a TLS alert), or null: for failure messages. */
  public Throwable error() {
    return error;
  }

  /** Completes with the {@code System.nanoTime()} at which the client saw the socket close. */
  public Future<Long> closed() {
    return closed.future();
  }

  /** Whether the client has seen the socket close. */
  public boolean isClosed() {
    return closed.future().isComplete();
  }

  /** Frames received so far, and futures for frames still to come. */
  public Arrivals<Frame> frames() {
    return frames;
  }

  /** Bytes received so far (frames or not). */
  public long bytesReceived() {
    return bytesReceived.get();
  }

  /** Description of an illegal frame the server sent, or null (there should never be one). */
  public String illegalReply() {
    return illegalReply;
  }

  /** When the connect completed. */
  public long connectedNanos() {
    return connectedNanos;
  }

  /** When the last complete frame was sent (0 if none). */
  public long lastFrameSentNanos() {
    return lastFrameSentNanos;
  }

  /** When the last raw bytes were written (0 if none). */
  public long lastRawByteSentNanos() {
    return lastRawByteSentNanos;
  }

  /** The client's local port: the server reports it as the remote address of the connection. */
  public int localPort() {
    return socket.localAddress().port();
  }

  /** The server's address as the client sees it, {@code host:port}. */
  public String remoteAddress() {
    return socket.remoteAddress().toString();
  }

  /** The client's own address, {@code host:port}. */
  public String localAddress() {
    return socket.localAddress().toString();
  }
}
