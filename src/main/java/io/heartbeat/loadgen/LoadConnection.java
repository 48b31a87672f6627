package io.heartbeat.loadgen;

import io.heartbeat.protocol.FrameDecoder;
import io.heartbeat.protocol.FrameHandler;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.IllegalFrameException;
import io.heartbeat.protocol.Welcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;

/**
 * One load connection: sends the heartbeats its slot gives it, matches each ack to the
 * heartbeat it answers (TCP keeps order, so the n-th ack answers the n-th heartbeat) and reports
 * round trips, probes, goodbyes and how it ended. In session mode it opens with a HELLO and
 * sends no heartbeat before the WELCOME. Confined to the load generator's event loop.
 */
final class LoadConnection implements FrameHandler {

  /** Heartbeats in flight per connection; one more is skipped and counted as blocked. */
  private static final int RING = 16;

  private final LoadRun run;
  private final FrameDecoder decoder;
  /** The HELLO this connection opens with, or null for a version 1 connection. */
  private final Buffer hello;
  private final long[] intendedNanos = new long[RING];
  private NetSocket socket;
  private long head;
  private long tail;
  private long lastSendNanos;
  private boolean frozen;
  private boolean closing;
  private boolean welcomed;
  private long helloNanos;

  LoadConnection(LoadRun run, Buffer hello) {
    this.run = run;
    this.hello = hello;
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
    if (hello != null) {
      write(hello);
      helloNanos = lastSendNanos;
    }
  }

  /**
   * Sends a heartbeat scheduled for {@code scheduledNanos}; the RTT is measured from that time,
   * not from the actual send, so a late load generator cannot hide a slow server (no
   * coordinated omission). Returns false if nothing was sent.
   */
  boolean heartbeat(long scheduledNanos) {
    if (!isOpen() || frozen || (hello != null && !welcomed)) {
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
      case FrameType.WELCOME:
        onWelcome(payload, now);
        break;
      default:
        run.goodbye(payload.toString(StandardCharsets.UTF_8));
        break;
    }
  }

  private void onWelcome(ByteBuf payload, long now) {
    if (hello == null || welcomed) {
      run.badFrame();
      close();
      return;
    }
    try {
      Welcome welcome = Welcome.decode(payload, run.settings().byteOrder);
      welcomed = true;
      run.welcome(now - helloNanos, welcome.intervalMs(), now);
    } catch (IllegalFrameException e) {
      run.badFrame();
      close();
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
