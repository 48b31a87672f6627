package io.heartbeat.server;

import io.netty.handler.codec.DecoderException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link NetSocket} as a {@link ConnectionOutput}: writes go through the socket (Vert.x
 * flushes them once per read burst), and the socket's read, close and exception handlers feed
 * the connection's core.
 */
final class NetSocketConnection implements ConnectionOutput {

  private static final Logger LOG = LoggerFactory.getLogger(IoVerticle.class);

  private final NetSocket socket;
  private final Buffer[] emptyFrames;

  private NetSocketConnection(NetSocket socket, Buffer[] emptyFrames) {
    this.socket = socket;
    this.emptyFrames = emptyFrames;
  }

  /** Offers {@code socket} to {@code acceptor} and, if taken, feeds its core from then on. */
  static void serve(NetSocket socket, Acceptor acceptor, Buffer[] emptyFrames,
      ReadScratch scratch) {
    NetSocketConnection output = new NetSocketConnection(socket, emptyFrames);
    ConnectionCore core = acceptor.accept(output, System.nanoTime());
    if (core == null) {
      socket.close();
      return;
    }
    socket.handler(read -> scratch.feed(read, core, System.nanoTime()));
    socket.closeHandler(v -> core.onClosed());
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
    socket.write(emptyFrames[type]);
  }

  @Override
  public void write(byte[] frame) {
    socket.write(Buffer.buffer(frame));
  }

  @Override
  public void flush() {
    // Vert.x flushes writes made while it reads at the end of the read burst, others at once.
  }

  @Override
  public boolean writable() {
    return !socket.writeQueueFull();
  }

  @Override
  public void close() {
    socket.close();
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
