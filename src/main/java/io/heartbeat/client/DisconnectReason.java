package io.heartbeat.client;

import io.heartbeat.bus.LifecycleEvents;
import java.util.Objects;

/**
 * Why a connection of a {@link HeartbeatClient} ended: a {@link Kind} and, for a GOODBYE or an
 * error, the detail (the server's reason text or the error message). Immutable.
 */
public final class DisconnectReason {

  /** The kinds of end. */
  public enum Kind {
    /**
     * Nothing arrived from the server for serverTimeoutMs (or, in a session, for the window its
     * WELCOME announced; or no WELCOME came within serverTimeoutMs of the HELLO); the client
     * closed the socket.
     */
    SERVER_TIMEOUT,
    /** The server said GOODBYE; {@link #detail()} is its reason ("shutdown", "kicked", ...). */
    GOODBYE,
    /** A socket error (reset, broken pipe). */
    IO_ERROR,
    /** The server closed the socket without a GOODBYE. */
    PEER_CLOSED,
    /**
     * The server sent an illegal frame, or broke the session opening of protocol 1.1 (a
     * malformed WELCOME, a WELCOME without a HELLO, a second WELCOME); the client closed the
     * socket and sent nothing back.
     */
    PROTOCOL_ERROR,
    /** The application called {@link HeartbeatClient#close()}. */
    CLOSED_BY_APPLICATION
  }

  /** The server's GOODBYE reason when it shuts down. */
  public static final String GOODBYE_SHUTDOWN = LifecycleEvents.SHUTDOWN;
  /** The server's GOODBYE reason when the application kicked the connection. */
  public static final String GOODBYE_KICKED = LifecycleEvents.KICKED;
  /** The server's GOODBYE reason when it judged this client silent. */
  public static final String GOODBYE_TIMEOUT = LifecycleEvents.TIMEOUT;
  /**
   * Protocol 1.1: a newer connection opened a session with this client's id and took it over.
   * The client stops unless reconnectAfterReplaced.
   */
  public static final String GOODBYE_REPLACED = "replaced";
  /**
   * Protocol 1.1: the server refused the HELLO's credential (or required a HELLO). The client
   * stops unless reconnectAfterUnauthorized.
   */
  public static final String GOODBYE_UNAUTHORIZED = "unauthorized";
  /**
   * Protocol 1.1: this client id connected too often in the server's flapping window and is
   * refused for a while. The client reconnects with the growing backoff of a failed pass.
   */
  public static final String GOODBYE_FLAPPING = "flapping";
  /**
   * Protocol 1.1: the server refused the connection because a connection limit is reached. The
   * client reconnects with the growing backoff of a failed pass.
   */
  public static final String GOODBYE_LIMIT = "limit";

  private final Kind kind;
  private final String detail;

  private DisconnectReason(Kind kind, String detail) {
    this.kind = kind;
    this.detail = detail == null ? "" : detail;
  }

  /** A reason of the given kind, with an optional detail (null for none). */
  public static DisconnectReason of(Kind kind, String detail) {
    return new DisconnectReason(Objects.requireNonNull(kind, "kind"), detail);
  }

  /** The server said GOODBYE with {@code reason}. */
  public static DisconnectReason goodbye(String reason) {
    return new DisconnectReason(Kind.GOODBYE, reason);
  }

  public Kind kind() {
    return kind;
  }

  /** The GOODBYE reason or error message; empty when there is none. */
  public String detail() {
    return detail;
  }

  /** Whether the server said GOODBYE with exactly this reason. */
  public boolean isGoodbye(String reason) {
    return kind == Kind.GOODBYE && detail.equals(reason);
  }

  /**
   * Whether the server refused the session for a while (GOODBYE "flapping" or "limit"): the
   * client then treats the connection as a failed pass and backs off.
   */
  public boolean isRefusal() {
    return isGoodbye(GOODBYE_FLAPPING) || isGoodbye(GOODBYE_LIMIT);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DisconnectReason && ((DisconnectReason) o).kind == kind
        && ((DisconnectReason) o).detail.equals(detail);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + detail.hashCode();
  }

  /** Lower-case form for logs, e.g. {@code server-timeout} or {@code goodbye:shutdown}. */
  @Override
  public String toString() {
    String name = kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    return detail.isEmpty() ? name : name + ":" + detail;
  }
}
