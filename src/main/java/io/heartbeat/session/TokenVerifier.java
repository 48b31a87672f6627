package io.heartbeat.session;

import io.heartbeat.config.ConfigException;
import io.heartbeat.config.HeartbeatConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.util.function.LongSupplier;

/**
 * Checks the JWT of a HELLO (auth.mode JWT): HS256 with auth.jwtSecret, or RS256 / ES256 with the
 * PEM public key at auth.jwtPublicKeyPath, verified by vertx-auth-jwt.
 *
 * <p>A token is accepted when it is at most auth.maxTokenBytes long, well-formed, signed with
 * the configured algorithm by the configured key (never {@code alg: none}, never another
 * algorithm), not expired ({@code exp}, in seconds, compared with this machine's clock, no
 * leeway), already valid ({@code nbf}, if present), and its {@code sub} equals the HELLO's
 * client id. A token without {@code exp} is accepted: it never expires, as RFC 7519 has it; the
 * issuer decides (revoke such a token by changing the key). {@code aud} and {@code iss} are not
 * checked.
 *
 * <p>Verification never runs on an event loop: {@link #verify} runs it on the shared worker pool
 * {@value #WORKER_POOL} (unordered) and completes on the caller's context. Each worker thread
 * has its own verifier, since vertx-auth-jwt serialises verifications per key instance.
 *
 * <p>Every failure is a {@link Refusal} whose message is only its reason: neither the token
 * nor the secret appears in a message.
 */
public final class TokenVerifier {

  /** The name of the worker pool verifications run on. */
  public static final String WORKER_POOL = "heartbeat-auth";

  /** Why a token was refused, as a short label for the auth-failures metric. */
  public enum Reason {
    /** No token in the HELLO. */
    MISSING("missing"),
    /** Longer than auth.maxTokenBytes. */
    OVERSIZE("oversize"),
    /** Not a compact JWT: segments, base64url, JSON, or non-numeric exp/nbf/iat. */
    BAD_TOKEN("bad-token"),
    /** The header says {@code alg: none} (an unsigned token). */
    ALG_NONE("alg-none"),
    /** Another algorithm than the configured one, or a signature the key does not verify. */
    BAD_SIGNATURE("bad-signature"),
    /** {@code exp} has passed, or {@code nbf} is still to come. */
    EXPIRED("expired"),
    /** {@code sub} is absent or differs from the HELLO's client id. */
    WRONG_SUBJECT("wrong-subject");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    /** The label, e.g. {@code bad-signature}. */
    public String label() {
      return label;
    }
  }

  /** A refused token: {@link #reason()}; the message is the reason's label, nothing else. */
  public static final class Refusal extends RuntimeException {

    private final Reason reason;

    /** @param reason why the token is refused */
    public Refusal(Reason reason) {
      super(reason.label(), null, false, false);
      this.reason = reason;
    }

    /** Why the token was refused. */
    public Reason reason() {
      return reason;
    }
  }

  private final WorkerExecutor workers;
  private final String algorithm;
  private final ThreadLocal<JwtCheck> checks;
  /** Test seam: runs on the thread of each verification, before it. */
  volatile Runnable onVerifyThread = () -> { };

  private TokenVerifier(Vertx vertx, JwtKeys.Key key, int maxTokenBytes,
      LongSupplier wallClockMs) {
    this.algorithm = key.algorithm();
    this.checks = ThreadLocal.withInitial(() -> new JwtCheck(
        JWTAuth.create(vertx, key.options()), key.algorithm(), maxTokenBytes, wallClockMs));
    this.workers = vertx.createSharedWorkerExecutor(WORKER_POOL,
        Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  /**
   * A verifier for the configured key. Reads the PEM file, a blocking call: use it at start-up
   * before deploying, or off the event loop ({@link #load}).
   *
   * @throws ConfigException one line naming auth.jwtPublicKeyPath and what is wrong with it (a
   *     missing, unreadable or unsupported file), never the secret
   * @throws IllegalArgumentException when auth.mode is not JWT
   */
  public static TokenVerifier create(Vertx vertx, HeartbeatConfig config) throws ConfigException {
    return create(vertx, config, System::currentTimeMillis);
  }

  /** {@link #create} on a worker thread, for a caller on an event loop. */
  public static Future<TokenVerifier> load(Vertx vertx, HeartbeatConfig config) {
    return vertx.executeBlocking(() -> create(vertx, config), false);
  }

  static TokenVerifier create(Vertx vertx, HeartbeatConfig config, LongSupplier wallClockMs)
      throws ConfigException {
    if (!config.authJwt()) {
      throw new IllegalArgumentException("auth.mode is not JWT");
    }
    JwtKeys.Key key = JwtKeys.load(config);
    try {
      // Fails here rather than at the first HELLO if vertx-auth-jwt cannot use the key.
      JWTAuth.create(vertx, key.options());
    } catch (RuntimeException e) {
      throw new ConfigException("The " + key.algorithm() + " key of "
          + (config.authJwtSecret() != null ? "auth.jwtSecret" : "auth.jwtPublicKeyPath")
          + " cannot be used (" + e.getClass().getSimpleName() + ").");
    }
    return new TokenVerifier(vertx, key, config.authMaxTokenBytes(), wallClockMs);
  }

  /**
   * Verifies the token of a HELLO naming {@code clientId}, on the worker pool.
   *
   * @param clientId the HELLO's client id
   * @param token the HELLO's token (ASCII), null or empty when none
   * @return completes on the caller's context: succeeded when the token is accepted, failed with
   *     a {@link Refusal} otherwise
   */
  public Future<Void> verify(String clientId, String token) {
    return workers.executeBlocking(() -> {
      onVerifyThread.run();
      checks.get().check(clientId, token);
      return null;
    }, false);
  }

  /** The algorithm tokens must be signed with: HS256, RS256 or ES256. */
  public String algorithm() {
    return algorithm;
  }

  /** Releases this verifier's share of the worker pool. */
  public Future<Void> close() {
    return workers.close();
  }
}
