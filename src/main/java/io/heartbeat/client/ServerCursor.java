package io.heartbeat.client;

import java.util.List;

/**
 * The failover order over a client's server list: which server to try next and when a pass (one
 * try of every server) is over. Pure; confined to the client's context.
 */
final class ServerCursor {

  private final List<ServerAddress> servers;
  private int index;
  private int triedInPass;
  private final StringBuilder failures = new StringBuilder();

  ServerCursor(List<ServerAddress> servers) {
    this.servers = servers;
  }

  /** The server to try now. */
  ServerAddress current() {
    return servers.get(index);
  }

  int index() {
    return index;
  }

  /**
   * Records a failed try of the current server and moves to the next one.
   *
   * @return true when every server has now been tried in this pass (the pass failed); the cursor
   *     is then back at the server the pass began with
   */
  boolean failed(String cause) {
    if (failures.length() > 0) {
      failures.append("; ");
    }
    if (servers.size() > 1) {
      failures.append(current()).append(": ");
    }
    failures.append(cause);
    index = (index + 1) % servers.size();
    triedInPass++;
    return triedInPass >= servers.size();
  }

  /** What failed in the pass that just ended, one clause per server; starts a new pass. */
  String endPass() {
    String text = failures.toString();
    failures.setLength(0);
    triedInPass = 0;
    return text;
  }

  /** A connection to the current server is open: the next pass starts after it. */
  void connected() {
    endPass();
  }

  /** The connection to the current server ended: the next pass begins at the following server. */
  void disconnected() {
    index = (index + 1) % servers.size();
    triedInPass = 0;
  }

  /** Back to the first server (a new run after {@link HeartbeatClient#connect()}). */
  void restart() {
    index = 0;
    endPass();
  }
}
