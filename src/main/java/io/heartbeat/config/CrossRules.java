package io.heartbeat.config;

/**
 * The rules that span several keys, checked once every key is valid on its own. Each failure is
 * one line naming the keys, their values and the fix; a {@link Setting#secret()} value is never
 * part of it.
 */
final class CrossRules {

  private CrossRules() {
  }

  /** @throws ConfigException for the first rule {@code config} breaks */
  static void check(HeartbeatConfig config) throws ConfigException {
    checkLiveness(config);
    checkSessions(config);
    checkAuth(config);
  }

  private static void checkLiveness(HeartbeatConfig config) throws ConfigException {
    if (config.probeEnabled() && config.probeAfterMissed() >= config.maxMissed()) {
      throw new ConfigException("Invalid setting probeAfterMissed = " + config.probeAfterMissed()
          + ": must be below maxMissed (" + config.maxMissed() + ") when probeEnabled is true,"
          + " so a probe can be answered before the connection is closed.");
    }
    if (config.tlsEnabled() && (config.tlsCertPath().isEmpty()
        || config.tlsKeyPath().isEmpty())) {
      throw new ConfigException("Invalid settings: tls.enabled is true but tls.certPath (\""
          + config.tlsCertPath() + "\") or tls.keyPath (\"" + config.tlsKeyPath() + "\") is"
          + " empty; give both PEM files, or set tls.enabled to false.");
    }
    long firstFrameTimeoutMs = config.firstFrameTimeoutMs();
    if (firstFrameTimeoutMs != 0 && firstFrameTimeoutMs < config.tickMs()) {
      throw new ConfigException("Invalid setting firstFrameTimeoutMs = " + firstFrameTimeoutMs
          + ": must be 0 (the liveness window) or at least tickMs (" + config.tickMs() + "),"
          + " since it is checked once per tick.");
    }
    if (config.tickMs() * (config.maxMissed() + 1L) > Integer.MAX_VALUE) {
      throw new ConfigException("Invalid settings tickMs = " + config.tickMs()
          + " and maxMissed = " + config.maxMissed() + ": the window (maxMissed+1) x tickMs must"
          + " stay below " + Integer.MAX_VALUE + " ms (about 24 days).");
    }
  }

  private static void checkSessions(HeartbeatConfig config) throws ConfigException {
    long min = config.sessionMinIntervalMs();
    long max = config.sessionMaxIntervalMs();
    if (min > max) {
      boolean fromTick = (Long) config.value(Settings.SESSION_MIN_INTERVAL_MS) == 0;
      throw new ConfigException("Invalid settings: session.minIntervalMs ("
          + (fromTick ? "0, meaning tickMs = " + min : String.valueOf(min))
          + ") is above session.maxIntervalMs (" + max + "); raise session.maxIntervalMs or"
          + " lower " + (fromTick ? "tickMs." : "session.minIntervalMs."));
    }
  }

  private static void checkAuth(HeartbeatConfig config) throws ConfigException {
    if (!config.authJwt()) {
      return;
    }
    boolean secret = config.authJwtSecret() != null;
    boolean key = config.authJwtPublicKeyPath() != null;
    if (secret == key) {
      throw new ConfigException("Invalid settings: auth.mode JWT needs exactly one of"
          + " auth.jwtSecret (HS256) and auth.jwtPublicKeyPath (RS256/ES256 PEM); "
          + (secret ? "both are set." : "neither is set."));
    }
  }
}
