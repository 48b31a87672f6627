package io.heartbeat.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Test helper: a loopback port that refuses connections for as long as this object is open. It
 * holds a bound socket that never listens, so nobody else can take the port meanwhile. (A
 * closed server's port, the earlier way, was seen to accept a connection and reset it just after
 * close() completed, and another process may bind a freed port.)
 */
final class DeadPort implements Closeable {

  private final Socket socket = new Socket();

  private DeadPort() {
    try {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Binds a new dead port (a local bind: no I/O to wait for). */
  static DeadPort bind() {
    return new DeadPort();
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Frees the port (e.g. for a service to listen on it). */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
