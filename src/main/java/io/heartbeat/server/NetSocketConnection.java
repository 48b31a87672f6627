package io.heartbeat.server;

import io.heartbeat.protocol.FrameDecoder;
import io.heartbeat.protocol.FrameType;
import io.netty.handler.codec.DecoderException;
import io.heartbeat.server.netty.ForcedClose;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link NetSocket} as a {@link ConnectionOutput}: writes go through the socket, and the
 * socket's read, close and exception handlers feed the connection's core.
 *
 * <p>Empty acks are coalesced: the acks one read asks for go out as one write of a slice of a
 * shared block of acks when the read has been decoded, not as one write (a promise and a buffer
 * view each) per heartbeat. Any other frame first sends the acks queued before it, so the order
 * on the wire is the order of the decisions.
 */
final class NetSocketConnection implements ConnectionOutput {

  private static final Logger LOG = LoggerFactory.getLogger(IoVerticle.class);

  private final NetSocket socket;
  private final Buffer[] emptyFrames;
  private final Buffer ackBlock;
  private final Vertx vertx;
  private final long closeGraceMs;
  /** Empty acks decided but not written yet. */
  private int pendingAcks;
  private boolean closed;
  /** The timer that forces a close not done within a tick, or -1. */
  private long forceCloseTimer = -1;

  private NetSocketConnection(NetSocket socket, Buffer[] emptyFrames, Buffer ackBlock,
      Vertx vertx, long closeGraceMs) {
    this.socket = socket;
    this.emptyFrames = emptyFrames;
    this.ackBlock = ackBlock;
    this.vertx = vertx;
    this.closeGraceMs = closeGraceMs;
  }

  /** Offers {@code socket} to {@code acceptor} and, if taken, feeds its core from then on. */
  static void serve(NetSocket socket, Acceptor acceptor, Buffer[] emptyFrames, Buffer ackBlock,
      ReadScratch scratch, Vertx vertx) {
    NetSocketConnection output = new NetSocketConnection(socket, emptyFrames, ackBlock, vertx,
        acceptor.settings().tickMs());
    ConnectionCore core = acceptor.accept(output, System.nanoTime());
    if (core == null) {
      socket.close();
      return;
    }
    socket.handler(read -> scratch.feed(read, core, System.nanoTime()));
    socket.closeHandler(v -> {
      output.closed = true;
      if (output.forceCloseTimer >= 0) {
        // Released now, not a tick later: the timer holds the socket and all it references.
        output.vertx.cancelTimer(output.forceCloseTimer);
      }
      core.onClosed();
    });
    socket.exceptionHandler(error -> {
      if (isSocketError(error)) {
        core.onIoError(error);
      } else {
        LOG.error("Connection {} from {}: unexpected error", core.id(), core.remoteAddress(),
            error);
      }
    });
  }

  /** Socket errors, and TLS records that are not TLS (a plaintext client on a TLS port). */
  static boolean isSocketError(Throwable error) {
    return error instanceof IOException || error instanceof DecoderException
        || error instanceof SSLException;
  }

  @Override
  public void writeEmpty(int type) {
    if (type == FrameType.HEARTBEAT_ACK) {
      pendingAcks++;
    } else {
      flush();
      socket.write(emptyFrames[type]);
    }
  }

  @Override
  public void write(byte[] frame) {
    flush();
    socket.write(Buffer.buffer(frame));
  }

  /** Writes the coalesced acks (Vert.x itself flushes once per read burst). */
  @Override
  public void flush() {
    int blockAcks = ackBlock.length() / FrameDecoder.HEADER_BYTES;
    while (pendingAcks > 0) {
      int n = Math.min(pendingAcks, blockAcks);
      socket.write(n == blockAcks ? ackBlock : n == 1 ? emptyFrames[FrameType.HEARTBEAT_ACK]
          : ackBlock.slice(0, n * FrameDecoder.HEADER_BYTES));
      pendingAcks -= n;
    }
  }

  @Override
  public boolean writable() {
    return !socket.writeQueueFull();
  }

  /**
   * Closes after what is queued went out (a GOODBYE to a reading peer arrives before the FIN);
   * a peer that does not read gets no such wait: closed at once when the write queue is full,
   * and within a tick in any case (see {@link ForcedClose}).
   */
  @Override
  public void close() {
    flush();
    if (socket.writeQueueFull()) {
      ForcedClose.closeNow(socket);
      return;
    }
    socket.close();
    if (!closed && forceCloseTimer < 0) {
      forceCloseTimer = vertx.setTimer(closeGraceMs, t -> {
        forceCloseTimer = -1;
        if (!closed) {
          ForcedClose.closeNow(socket);
        }
      });
    }
  }

  @Override
  public String remoteAddress() {
    return hostAndPort(socket.remoteAddress());
  }

  @Override
  public String localAddress() {
    return hostAndPort(socket.localAddress());
  }

  @Override
  public String remoteHost() {
    SocketAddress address = socket.remoteAddress();
    return address == null || address.hostAddress() == null ? "?" : address.hostAddress();
  }

  private static String hostAndPort(SocketAddress address) {
    return address == null || address.hostAddress() == null ? "?"
        : address.hostAddress() + ":" + address.port();
  }
}
