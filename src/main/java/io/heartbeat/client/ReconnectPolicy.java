package io.heartbeat.client;

/**
 * What a {@link HeartbeatClient} does after a connection ended, from why it ended and whether it
 * was open (for a session: whether the WELCOME had arrived). Pure; the client carries it out.
 */
final class ReconnectPolicy {

  /** The client's next step. */
  enum Action {
    /** Stay stopped until the application calls connect() (kicked, replaced, unauthorized). */
    STOP,
    /**
     * The server refused the session for a while (flapping, limit): the pass failed; wait one
     * growing backoff step, then try the next server.
     */
    FAILED_PASS,
    /**
     * A session connection ended before its WELCOME for another reason: like a failed connect,
     * try the next server of the pass at once, and back off when the pass is over.
     */
    NEXT_SERVER,
    /** GOODBYE "shutdown" from an open connection: wait a random 0..shutdownJitterMs. */
    SHUTDOWN_JITTER,
    /** An open connection was lost: wait one step-0 delay, then try the next server. */
    RECONNECT
  }

  private final HeartbeatClientOptions options;

  ReconnectPolicy(HeartbeatClientOptions options) {
    this.options = options;
  }

  /**
   * @param reason why the connection ended
   * @param opened whether it had been opened (always true for a version 1 client; for a session,
   *     whether the WELCOME arrived)
   */
  Action after(DisconnectReason reason, boolean opened) {
    if (reason.isGoodbye(DisconnectReason.GOODBYE_KICKED) && !options.isReconnectAfterKicked()
        || reason.isGoodbye(DisconnectReason.GOODBYE_REPLACED)
            && !options.isReconnectAfterReplaced()
        || reason.isGoodbye(DisconnectReason.GOODBYE_UNAUTHORIZED)
            && !options.isReconnectAfterUnauthorized()) {
      return Action.STOP;
    }
    if (reason.isRefusal() || reason.isGoodbye(DisconnectReason.GOODBYE_UNAUTHORIZED)) {
      // A refused credential that the application wants retried is retried no faster than a
      // flapping client: a refusal is cheap to send and must not be a reconnect loop.
      return Action.FAILED_PASS;
    }
    if (!opened) {
      return Action.NEXT_SERVER;
    }
    if (reason.isGoodbye(DisconnectReason.GOODBYE_SHUTDOWN) && options.getShutdownJitterMs() > 0) {
      return Action.SHUTDOWN_JITTER;
    }
    return Action.RECONNECT;
  }
}
