package io.heartbeat.client;

import io.heartbeat.protocol.Welcome;

/**
 * The session a server granted in its WELCOME (protocol 1.1): the interval this client heartbeats
 * at and the window by which both ends judge each other. Immutable.
 *
 * @param intervalMs the client sends a HEARTBEAT whenever it has sent nothing for this long;
 *     the server's grant, which may differ from what the client asked for
 * @param closeAfterMs the server closes the connection between closeAfterMs and closeAfterMs +
 *     tickMs after the last complete frame it received from the client
 * @param tickMs the server's tick
 * @param connectionId the server's id of this connection, for logs and support
 */
public record SessionGrant(int intervalMs, int closeAfterMs, int tickMs, long connectionId) {

  /** The grant a WELCOME carries. */
  static SessionGrant of(Welcome welcome) {
    return new SessionGrant(welcome.intervalMs(), welcome.closeAfterMs(), welcome.tickMs(),
        welcome.connectionId());
  }

  /**
   * How long the client waits without any frame from the server before it judges the server
   * dead: intervalMs + closeAfterMs + 2 x tickMs.
   *
   * <p>Why: after a frame from the server, the client sends a heartbeat within intervalMs (its
   * grant) and then, while that heartbeat is unanswered, sends no other. A live server then
   * speaks within closeAfterMs + tickMs of that heartbeat whatever its settings: it acks at once
   * (acks on), or probes the silent client after its probeAfterMissed x k ticks (fewer than its
   * limit), or, at worst, closes the connection with GOODBYE "timeout" at its own limit, which
   * lies between closeAfterMs and closeAfterMs + tickMs. One more tick leaves room for the
   * server's sweep to run late and for delivery. A server that says nothing for that long is
   * stopped, hung or cut off.
   */
  public long serverDeadAfterMs() {
    return (long) intervalMs + closeAfterMs + 2L * tickMs;
  }
}
