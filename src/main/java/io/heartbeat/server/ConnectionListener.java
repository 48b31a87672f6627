package io.heartbeat.server;

import io.heartbeat.protocol.Hello;
import io.heartbeat.protocol.IllegalFrameException;
import io.netty.buffer.ByteBuf;

/**
 * What a {@link ConnectionCore} tells the I/O instance that holds it: the instance counts,
 * logs, publishes and batches; the core decides. Called on the instance's event loop.
 */
public interface ConnectionListener {

  /** The connection showed life for the first time since the last activity batch. */
  void active(ConnectionCore connection);

  /** A HEARTBEAT arrived; {@code acked} false when acks are off or the peer is not reading. */
  void heartbeat(ConnectionCore connection, boolean acked);

  /**
   * A payload for the application: a DATA frame, or a HEARTBEAT's non-empty payload.
   *
   * @param payload valid for the duration of the call only
   */
  void data(ConnectionCore connection, boolean heartbeat, ByteBuf payload);

  /**
   * A well-formed HELLO opened the connection: open the session (grant, credentials, identity)
   * and answer with {@link ConnectionCore#welcome} or close with a GOODBYE reason.
   */
  void hello(ConnectionCore connection, Hello hello);

  /** The core refused the connection itself, e.g. a first frame that is not a required HELLO. */
  void sessionRefused(ConnectionCore connection, String reason);

  /** DATA arrived before the session was authenticated; it was dropped. */
  void dataBeforeWelcome(ConnectionCore connection);

  /** The peer announced it is leaving, with its UTF-8 reason. */
  void goodbye(ConnectionCore connection, String reason);

  /** The peer sent an illegal frame; the core closes the connection (nothing sent back). */
  void protocolError(ConnectionCore connection, IllegalFrameException verdict);

  /** Application data could not be queued: the peer stopped reading. Watch it for a tick. */
  void stoppedReading(ConnectionCore connection);

  /** A socket error (reset, broken pipe, a TLS record that is not TLS). */
  void ioError(ConnectionCore connection, Throwable error);

  /** The socket is closed, for {@code reason} (a LifecycleEvents close reason). */
  void closed(ConnectionCore connection, String reason);
}
