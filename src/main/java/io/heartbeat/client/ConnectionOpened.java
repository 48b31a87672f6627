package io.heartbeat.client;

/**
 * A {@link HeartbeatClient} has opened a connection: TCP connected and, with TLS, the handshake
 * done; with a client id (protocol 1.1), the server's WELCOME received as well.
 *
 * @param server the server of the list it is connected to
 * @param serverIndex that server's position in the options' list, from 0
 * @param reconnect true when this client object had a connection before this one (after a lost
 *     connection, and also after a restart with {@link HeartbeatClient#connect()}); false for its
 *     very first connection. An application resynchronises its state with the server when true.
 * @param connectionNumber connections this client object has opened so far, this one included
 *     (1 for the first)
 * @param session what the server's WELCOME granted, or null for a version 1 client (no client
 *     id, no HELLO)
 */
public record ConnectionOpened(ServerAddress server, int serverIndex, boolean reconnect,
    long connectionNumber, SessionGrant session) {

  /** A connection of a version 1 client (no session). */
  public ConnectionOpened(ServerAddress server, int serverIndex, boolean reconnect,
      long connectionNumber) {
    this(server, serverIndex, reconnect, connectionNumber, null);
  }
}
