package io.heartbeat.testing.scenario;

import io.heartbeat.protocol.FrameEncoder;
import io.heartbeat.protocol.FrameType;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.ByteOrder;

/**
 * One lean client connection for load and fault scenarios, the thin sibling of
 * {@link io.heartbeat.testing.FrameClient} (the protocol test client): thousands of these must
 * fit in one JVM and share a few NetClients bound to chosen source addresses, so it keeps
 * counters, not frames, and decodes nothing. Frames come from the production {@link FrameEncoder};
 * hostile bytes are written raw. It records when its last complete frame was written (both
 * clocks: {@code System.nanoTime()} for durations, wall-clock ms to match the server's log) and
 * when and how the connection ended.
 *
 * <p>Callbacks run on the socket's event loop; the volatile fields may be read from any thread.
 */
public final class Peer {

  public static final FrameEncoder ENCODER = new FrameEncoder(ByteOrder.LITTLE_ENDIAN);
  public static final Buffer HEARTBEAT =
      Buffer.buffer(ByteBufUtil.getBytes(ENCODER.emptyFrame(FrameType.HEARTBEAT)));

  public final NetSocket socket;
  public final String localHost;
  public final int localPort;
  private final Promise<Void> closed = Promise.promise();
  private volatile long lastFrameNanos;
  private volatile long lastFrameWallMs;
  private volatile long lastWriteNanos;
  private volatile long closedNanos;
  private volatile long closedWallMs;
  private volatile long bytesReceived;
  private volatile boolean closedByUs;
  private volatile Throwable error;
  /** Completed once {@link #bytesReceived} reaches {@link #bytesTarget}; null when unused. */
  private Promise<Void> bytesWanted;
  private long bytesTarget;

  private Peer(NetSocket socket) {
    this.socket = socket;
    this.localHost = socket.localAddress().host();
    this.localPort = socket.localAddress().port();
    this.lastFrameNanos = System.nanoTime();
    this.lastFrameWallMs = System.currentTimeMillis();
    socket.handler(b -> onBytes(b.length()));
    socket.exceptionHandler(e -> error = e);
    socket.closeHandler(v -> {
      closedNanos = System.nanoTime();
      closedWallMs = System.currentTimeMillis();
      closed.tryComplete();
    });
  }

  private synchronized void onBytes(int n) {
    bytesReceived += n;
    if (bytesWanted != null && bytesReceived >= bytesTarget) {
      bytesWanted.tryComplete();
    }
  }

  /** Completes once at least {@code n} bytes in all were received from the server. */
  public synchronized Future<Void> receivedAtLeast(long n) {
    bytesTarget = n;
    bytesWanted = Promise.promise();
    if (bytesReceived >= n) {
      bytesWanted.complete();
    }
    return bytesWanted.future();
  }

  /** Connects through {@code client} (whose options choose the source address). */
  public static Future<Peer> connect(NetClient client, int port, String host) {
    return client.connect(port, host).map(Peer::new);
  }

  /** Writes one empty HEARTBEAT; its completion time becomes the last frame time. */
  public Future<Void> heartbeat() {
    return frame(HEARTBEAT);
  }

  /** Writes bytes that complete a frame; their write completion is the last frame time. */
  public Future<Void> frame(Buffer frame) {
    return socket.write(frame).onSuccess(v -> {
      lastFrameNanos = System.nanoTime();
      lastFrameWallMs = System.currentTimeMillis();
      lastWriteNanos = lastFrameNanos;
    });
  }

  /** Writes bytes that complete no frame (hostile, partial): the last frame time stays. */
  public Future<Void> raw(Buffer bytes) {
    return socket.write(bytes).onSuccess(v -> lastWriteNanos = System.nanoTime());
  }

  /** Closes from this side; the close is then not the server's verdict. */
  public Future<Void> close() {
    closedByUs = true;
    return socket.close();
  }

  /** Completes when the connection ends, whoever ends it. */
  public Future<Void> closed() {
    return closed.future();
  }

  public boolean isClosed() {
    return closed.future().isComplete();
  }

  /** Whether the connection ended without this side closing it. */
  public boolean closedByServer() {
    return isClosed() && !closedByUs;
  }

  public long lastFrameNanos() {
    return lastFrameNanos;
  }

  public long lastFrameWallMs() {
    return lastFrameWallMs;
  }

  /** Milliseconds from the last complete frame written to the close seen, or -1 if open. */
  public long silentForMs() {
    return isClosed() ? (closedNanos - lastFrameNanos) / 1_000_000 : -1;
  }

  /** When the last write of any kind completed ({@code System.nanoTime()}), 0 before one. */
  public long lastWriteNanos() {
    return lastWriteNanos;
  }

  public long closedNanos() {
    return closedNanos;
  }

  public long closedWallMs() {
    return closedWallMs;
  }

  public long bytesReceived() {
    return bytesReceived;
  }

  public Throwable error() {
    return error;
  }

  @Override
  public String toString() {
    return localHost + ":" + localPort;
  }
}
