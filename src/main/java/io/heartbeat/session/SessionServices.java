package io.heartbeat.session;

import io.heartbeat.config.HeartbeatConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * What every I/O instance of one process shares to open sessions: the deployment-wide
 * {@link ClientDirectory}, the {@link TokenVerifier} when {@code auth.mode} is {@code jwt}, and
 * one {@link FlapGuard} (so a device cannot dodge the guard by landing on another event loop).
 * Thread-safe (the guard locks itself; it is consulted once per HELLO).
 */
public final class SessionServices {

  private final ClientDirectory directory;
  private final TokenVerifier verifier;
  private final FlapGuard flaps;

  private SessionServices(ClientDirectory directory, TokenVerifier verifier, FlapGuard flaps) {
    this.directory = directory;
    this.verifier = verifier;
    this.flaps = flaps;
  }

  /**
   * The services for {@code config}; fails with a one-line
   * {@link io.heartbeat.config.ConfigException} when the credential key cannot be loaded.
   */
  public static Future<SessionServices> create(Vertx vertx, HeartbeatConfig config) {
    FlapGuard flaps = FlapGuard.from(config);
    ClientDirectory directory = ClientDirectory.of(vertx);
    if (!config.authJwt()) {
      return Future.succeededFuture(new SessionServices(directory, null, flaps));
    }
    return TokenVerifier.load(vertx, config)
        .map(verifier -> new SessionServices(directory, verifier, flaps));
  }

  /** The client id registry. */
  public ClientDirectory directory() {
    return directory;
  }

  /** Whether {@code clientId} may connect now (monotonic ms), per the flapping guard. */
  public boolean admit(String clientId, long nowMs) {
    return flaps.admit(clientId, nowMs);
  }

  /** Forgets flapping history older than the guard's window (call now and then). */
  public void expireFlaps(long nowMs) {
    flaps.expire(nowMs);
  }

  /**
   * Verifies a HELLO's credential, off the event loop; succeeds at once when
   * {@code auth.mode} is {@code none}. A failure's reason is {@link #refusalReason}.
   */
  public Future<Void> verify(String clientId, String token) {
    return verifier == null ? Future.succeededFuture() : verifier.verify(clientId, token);
  }

  /** The short reason of a {@link #verify} failure, for the metric and the log line. */
  public static String refusalReason(Throwable failure) {
    return failure instanceof TokenVerifier.Refusal refusal ? refusal.reason().label() : "other";
  }
}
