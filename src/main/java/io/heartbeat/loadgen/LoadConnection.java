package io.heartbeat.loadgen;

import io.heartbeat.protocol.FrameDecoder;
import io.heartbeat.protocol.FrameHandler;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.IllegalFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * One load connection: sends the heartbeats its slot gives it, matches each ack to the
 * heartbeat it answers (TCP keeps order, so the n-th ack answers the n-th heartbeat) and reports
 * round trips, probes, goodbyes and how it ended. Confined to the load generator's event loop.
 */
final class LoadConnection implements FrameHandler {

  /** Heartbeats in flight per connection; one more is skipped and counted as blocked. */
  private static final int RING = 16;

  private final LoadRun run;
  private final FrameDecoder decoder;
  private final long[] intendedNanos = new long[RING];
  private NetSocket socket;
  private long head;
  private long tail;
  private long lastSendNanos;
  private boolean frozen;
  private boolean closing;

  LoadConnection(LoadRun run) {
    this.run = run;
    this.decoder = new FrameDecoder(run.settings().byteOrder, 65536, this);
  }

  boolean isOpen() {
    return socket != null && !closing;
  }

  boolean isFrozen() {
    return frozen;
  }

  void attach(NetSocket s) {
    socket = s;
    lastSendNanos = System.nanoTime();
    s.handler(bytes -> decoder.decode(Unpooled.wrappedBuffer(bytes.getBytes())));
    s.exceptionHandler(e -> { });
    s.closeHandler(v -> onClosed());
  }

  /**
   * Sends a heartbeat scheduled for {@code scheduledNanos}; the RTT is measured from that time,
   * not from the actual send, so a late load generator cannot hide a slow server (no
   * coordinated omission). Returns false if nothing was sent.
   */
  boolean heartbeat(long scheduledNanos) {
    if (!isOpen() || frozen) {
      return false;
    }
    if (tail - head >= RING || socket.writeQueueFull()) {
      run.blocked();
      return false;
    }
    intendedNanos[(int) (tail++ % RING)] = scheduledNanos;
    write(run.heartbeatFrame());
    return true;
  }

  /** Stops sending (the unsent rest included) but keeps reading; the socket stays open. */
  void freeze() {
    frozen = true;
  }

  /** Closes from our side; not counted as a close by the server. */
  void close() {
    if (isOpen()) {
      closing = true;
      socket.close();
    }
  }

  @Override
  public void onFrame(int type, ByteBuf payload) {
    long now = System.nanoTime();
    switch (type) {
      case FrameType.HEARTBEAT_ACK:
        if (head == tail) {
          run.badFrame();
          close();
          return;
        }
        run.ack(intendedNanos[(int) (head++ % RING)], now);
        break;
      case FrameType.HEARTBEAT:
        run.probe();
        if (!frozen) {
          write(run.ackFrame());
        }
        break;
      case FrameType.DATA:
        run.data();
        break;
      default:
        run.goodbye();
        break;
    }
  }

  @Override
  public void onIllegalFrame(IllegalFrameException verdict) {
    run.badFrame();
    close();
  }

  private void write(Buffer frame) {
    socket.write(frame);
    lastSendNanos = System.nanoTime();
  }

  private void onClosed() {
    decoder.release();
    if (closing) {
      return;
    }
    closing = true;
    long now = System.nanoTime();
    if (frozen) {
      run.frozenClosed((now - lastSendNanos) / 1_000_000);
    } else {
      run.unexpectedClose();
    }
  }
}
