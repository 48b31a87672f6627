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
    /** Nothing arrived from the server for serverTimeoutMs; the client closed the socket. */
    SERVER_TIMEOUT,
    /** The server said GOODBYE; {@link #detail()} is its reason ("shutdown", "kicked", ...). */
    GOODBYE,
    /** A socket error (reset, broken pipe). */
    IO_ERROR,
    /** The server closed the socket without a GOODBYE. */
    PEER_CLOSED,
    /** The server sent an illegal frame; the client closed the socket. */
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
