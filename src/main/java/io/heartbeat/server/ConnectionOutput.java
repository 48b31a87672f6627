package io.heartbeat.server;

/**
 * What a {@link ConnectionCore} needs from the socket it runs on: an edge (a Vert.x
 * {@code NetSocket}, or a Netty channel of the lean edge) implements it for each connection.
 * Called only on the socket's event loop.
 */
public interface ConnectionOutput {

  /**
   * Queues an empty frame of {@code type} (an ack or a probe), not flushed yet. The edge encodes
   * it the cheapest way it has.
   */
  void writeEmpty(int type);

  /**
   * Queues a whole encoded frame, not flushed yet. The array is never changed afterwards and may
   * be shared by many connections: the edge may wrap it instead of copying.
   */
  void write(byte[] frame);

  /** Sends what was queued. */
  void flush();

  /**
   * Whether the peer is reading: false while more than maxPendingWriteBytes are queued for it
   * and not yet taken by the kernel.
   */
  boolean writable();

  /** Closes the socket now; what was flushed before still goes out ahead of the FIN. */
  void close();

  /** The peer as host:port, the host a literal IP ("?" when unknown). */
  String remoteAddress();

  /** This end as host:port (the address the client connected to). */
  String localAddress();

  /** The peer's IP address alone: the key of the per-address connection limit. */
  String remoteHost();
}
