package io.heartbeat.config;

import io.vertx.core.json.JsonObject;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * The validated settings of one running service: an immutable snapshot.
 *
 * <p>Build it with {@link ConfigSources} (file, environment, system properties) or from the JSON a
 * verticle receives ({@link #fromJson}); both validate every key, so holding an instance means
 * every value is in range and the cross-key rules hold. Durations are in milliseconds.
 */
public final class HeartbeatConfig {

  private final Map<String, Object> values;

  private HeartbeatConfig(Map<String, Object> values) {
    this.values = Map.copyOf(values);
  }

  /** The built-in defaults. */
  public static HeartbeatConfig defaults() {
    try {
      return fromJson(new JsonObject());
    } catch (ConfigException e) {
      throw new IllegalStateException("built-in defaults are invalid: " + e.getMessage(), e);
    }
  }

  /**
   * Validates a flat JSON object whose keys are setting keys (missing keys take their default).
   *
   * @throws ConfigException naming the first bad or unknown key
   */
  public static HeartbeatConfig fromJson(JsonObject json) throws ConfigException {
    Map<String, Object> values = new HashMap<>();
    for (String key : json.fieldNames()) {
      if (Settings.byKey(key) == null) {
        throw new ConfigException("Unknown setting \"" + key + "\"; known settings: "
            + String.join(", ", Settings.all().stream().map(Setting::key).toList()));
      }
    }
    for (Setting s : Settings.all()) {
      Object raw = json.getValue(s.key());
      values.put(s.key(), raw == null ? s.defaultValue() : s.parse(raw, "config"));
    }
    HeartbeatConfig config = new HeartbeatConfig(values);
    config.checkCrossRules();
    return config;
  }

  /**
   * The settings a {@code heartbeat.config.changed} event carries, or {@code current} (with one
   * error line on {@code log}) if the event does not validate: a verticle never runs on
   * settings it could not check.
   */
  public static HeartbeatConfig fromChangeEvent(JsonObject json, HeartbeatConfig current,
      org.slf4j.Logger log) {
    try {
      return fromJson(json);
    } catch (ConfigException e) {
      log.error("Ignoring invalid run-time configuration: {}", e.getMessage());
      return current;
    }
  }

  /** This snapshot as a flat JSON object that {@link #fromJson} accepts. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    for (Setting s : Settings.all()) {
      json.put(s.key(), values.get(s.key()));
    }
    return json;
  }

  /** The value of a setting in its canonical type (Integer, Long, Boolean or String). */
  public Object value(Setting setting) {
    return values.get(setting.key());
  }

  void checkCrossRules() throws ConfigException {
    CrossRules.check(this);
  }

  public String host() {
    return (String) values.get(Settings.HOST.key());
  }

  public int port() {
    return (Integer) values.get(Settings.PORT.key());
  }

  /** Configured I/O instances; 0 means one per core (see {@link #effectiveIoInstances()}). */
  public int ioInstances() {
    return (Integer) values.get(Settings.IO_INSTANCES.key());
  }

  /** I/O instances to deploy: {@link #ioInstances()}, or the number of cores when it is 0. */
  public int effectiveIoInstances() {
    int n = ioInstances();
    return n > 0 ? n : Runtime.getRuntime().availableProcessors();
  }

  public long tickMs() {
    return (Long) values.get(Settings.TICK_MS.key());
  }

  public int maxMissed() {
    return (Integer) values.get(Settings.MAX_MISSED.key());
  }

  public ByteOrder byteOrder() {
    return "BIG_ENDIAN".equals(values.get(Settings.BYTE_ORDER.key()))
        ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
  }

  public int maxPayloadBytes() {
    return (Integer) values.get(Settings.MAX_PAYLOAD_BYTES.key());
  }

  public boolean ackHeartbeats() {
    return (Boolean) values.get(Settings.ACK_HEARTBEATS.key());
  }

  public boolean dataCountsAsActivity() {
    return (Boolean) values.get(Settings.DATA_COUNTS_AS_ACTIVITY.key());
  }

  public boolean probeEnabled() {
    return (Boolean) values.get(Settings.PROBE_ENABLED.key());
  }

  public int probeAfterMissed() {
    return (Integer) values.get(Settings.PROBE_AFTER_MISSED.key());
  }

  public boolean detectionEnabled() {
    return (Boolean) values.get(Settings.DETECTION_ENABLED.key());
  }

  public boolean logHeartbeats() {
    return (Boolean) values.get(Settings.LOG_HEARTBEATS.key());
  }

  public boolean tcpKeepAlive() {
    return (Boolean) values.get(Settings.TCP_KEEP_ALIVE.key());
  }

  public int tcpKeepAliveIdleSeconds() {
    return (Integer) values.get(Settings.TCP_KEEP_ALIVE_IDLE_SECONDS.key());
  }

  public int tcpKeepAliveIntervalSeconds() {
    return (Integer) values.get(Settings.TCP_KEEP_ALIVE_INTERVAL_SECONDS.key());
  }

  public int tcpKeepAliveCount() {
    return (Integer) values.get(Settings.TCP_KEEP_ALIVE_COUNT.key());
  }

  public long configScanMs() {
    return (Long) values.get(Settings.CONFIG_SCAN_MS.key());
  }

  public int maxConnections() {
    return (Integer) values.get(Settings.MAX_CONNECTIONS.key());
  }

  public int maxConnectionsPerIp() {
    return (Integer) values.get(Settings.MAX_CONNECTIONS_PER_IP.key());
  }

  /**
   * firstFrameTimeoutMs: 0 means the liveness window applies from accept (the monitor judges a
   * silent-from-accept connection like any other); above 0, the I/O instance's own check.
   */
  public long firstFrameTimeoutMs() {
    return (Long) values.get(Settings.FIRST_FRAME_TIMEOUT_MS.key());
  }

  /** Whether the client port is served by the lean Netty listener rather than a NetServer. */
  public boolean leanIoEdge() {
    return "LEAN".equals(values.get(Settings.IO_EDGE.key()));
  }

  public int maxPendingWriteBytes() {
    return (Integer) values.get(Settings.MAX_PENDING_WRITE_BYTES.key());
  }

  public long shutdownGraceMs() {
    return (Long) values.get(Settings.SHUTDOWN_GRACE_MS.key());
  }

  public int shutdownGoodbyesPerSecond() {
    return (Integer) values.get(Settings.SHUTDOWN_GOODBYES_PER_SECOND.key());
  }

  /** Whether log lines are JSON objects (logFormat JSON) rather than text. */
  public boolean jsonLogs() {
    return "JSON".equals(values.get(Settings.LOG_FORMAT.key()));
  }

  public boolean adminEnabled() {
    return (Boolean) values.get(Settings.ADMIN_ENABLED.key());
  }

  public String adminHost() {
    return (String) values.get(Settings.ADMIN_HOST.key());
  }

  public int adminPort() {
    return (Integer) values.get(Settings.ADMIN_PORT.key());
  }

  /** The admin bearer token; empty when none is required. */
  public String adminToken() {
    return (String) values.get(Settings.ADMIN_TOKEN.key());
  }

  public boolean tlsEnabled() {
    return (Boolean) values.get(Settings.TLS_ENABLED.key());
  }

  public String tlsCertPath() {
    return (String) values.get(Settings.TLS_CERT_PATH.key());
  }

  public String tlsKeyPath() {
    return (String) values.get(Settings.TLS_KEY_PATH.key());
  }

  /** CA file for client certificates; empty when mutual TLS is off. */
  public String tlsClientCaPath() {
    return (String) values.get(Settings.TLS_CLIENT_CA_PATH.key());
  }

  public long tlsHandshakeTimeoutMs() {
    return (Long) values.get(Settings.TLS_HANDSHAKE_TIMEOUT_MS.key());
  }

  public boolean clusterEnabled() {
    return (Boolean) values.get(Settings.CLUSTER_ENABLED.key());
  }

  /** BOTH, IO or MONITOR. */
  public String clusterRole() {
    return (String) values.get(Settings.CLUSTER_ROLE.key());
  }

  /** Whether this node holds client connections (role BOTH or IO). */
  public boolean runsIo() {
    return !"MONITOR".equals(clusterRole());
  }

  /** Whether this node runs a monitor (role BOTH or MONITOR). */
  public boolean runsMonitor() {
    return !"IO".equals(clusterRole());
  }

  public String clusterHost() {
    return (String) values.get(Settings.CLUSTER_HOST.key());
  }

  public int clusterPort() {
    return (Integer) values.get(Settings.CLUSTER_PORT.key());
  }

  public String clusterConfigFile() {
    return (String) values.get(Settings.CLUSTER_CONFIG_FILE.key());
  }

  /** Cluster name overriding the Hazelcast file's; empty for none. */
  public String clusterName() {
    return (String) values.get(Settings.CLUSTER_NAME.key());
  }

  /** Hazelcast member port overriding the file's; 0 for none. */
  public int clusterHazelcastPort() {
    return (Integer) values.get(Settings.CLUSTER_HAZELCAST_PORT.key());
  }

  /** Comma-separated TCP-IP members overriding the file's; empty for none. */
  public String clusterMembers() {
    return (String) values.get(Settings.CLUSTER_MEMBERS.key());
  }

  /**
   * How long a node may stay unheard of before its monitors' connections go to other monitors,
   * in ms: cluster.monitorTimeoutMs, or 2 x tickMs when that is 0, and never below tickMs.
   */
  public long effectiveMonitorTimeoutMs() {
    long set = (Long) values.get(Settings.CLUSTER_MONITOR_TIMEOUT_MS.key());
    return set == 0 ? 2 * tickMs() : Math.max(set, tickMs());
  }

  /**
   * The shortest interval granted to a session, in ms: session.minIntervalMs, or tickMs when
   * that is 0. At most {@link #sessionMaxIntervalMs()} (a cross-key rule).
   */
  public long sessionMinIntervalMs() {
    long set = (Long) values.get(Settings.SESSION_MIN_INTERVAL_MS.key());
    return set == 0 ? tickMs() : set;
  }

  /** The longest interval granted to a session, in ms (before rounding up to whole ticks). */
  public long sessionMaxIntervalMs() {
    return (Long) values.get(Settings.SESSION_MAX_INTERVAL_MS.key());
  }

  /**
   * session.required as set: whether a connection must open with HELLO. Sessions are also
   * required when {@link #authJwt()} is true, whatever this says.
   */
  public boolean sessionRequired() {
    return (Boolean) values.get(Settings.SESSION_REQUIRED.key());
  }

  /** Connects of one client id allowed within the flap window; 0: the guard is off. */
  public int sessionFlapMaxConnects() {
    return (Integer) values.get(Settings.SESSION_FLAP_MAX_CONNECTS.key());
  }

  /** The flap guard's sliding window, in ms. */
  public long sessionFlapWindowMs() {
    return (Long) values.get(Settings.SESSION_FLAP_WINDOW_MS.key());
  }

  /** How long a flapping client id is refused, in ms. */
  public long sessionFlapBanMs() {
    return (Long) values.get(Settings.SESSION_FLAP_BAN_MS.key());
  }

  /** Whether sessions must carry a JWT (auth.mode JWT) rather than no credential (NONE). */
  public boolean authJwt() {
    return "JWT".equals(values.get(Settings.AUTH_MODE.key()));
  }

  /**
   * The HS256 secret, or null when unset. A credential: never log it or put it in a message
   * ({@link #toString()} hides it).
   */
  public String authJwtSecret() {
    return emptyToNull((String) values.get(Settings.AUTH_JWT_SECRET.key()));
  }

  /** The PEM public key file of RS256/ES256 tokens, or null when unset. */
  public String authJwtPublicKeyPath() {
    return emptyToNull((String) values.get(Settings.AUTH_JWT_PUBLIC_KEY_PATH.key()));
  }

  /** The longest token a HELLO may carry, in bytes. */
  public int authMaxTokenBytes() {
    return (Integer) values.get(Settings.AUTH_MAX_TOKEN_BYTES.key());
  }

  private static String emptyToNull(String value) {
    return value.isEmpty() ? null : value;
  }

  /** Silence after which a connection may be closed: maxMissed x tickMs, in ms. */
  public long windowMs() {
    return tickMs() * maxMissed();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HeartbeatConfig && ((HeartbeatConfig) o).values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** The settings as JSON, with every {@link Setting#secret()} value hidden: safe to log. */
  @Override
  public String toString() {
    JsonObject shown = toJson();
    for (Setting s : Settings.all()) {
      if (s.secret()) {
        shown.put(s.key(), s.shown(values.get(s.key())));
      }
    }
    return shown.encode();
  }
}
