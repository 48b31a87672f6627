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
    if (probeEnabled() && probeAfterMissed() >= maxMissed()) {
      throw new ConfigException("Invalid setting probeAfterMissed = " + probeAfterMissed()
          + ": must be below maxMissed (" + maxMissed() + ") when probeEnabled is true, so a"
          + " probe can be answered before the connection is closed.");
    }
    if (tlsEnabled() && (tlsCertPath().isEmpty() || tlsKeyPath().isEmpty())) {
      throw new ConfigException("Invalid settings: tls.enabled is true but tls.certPath ("
          + "\"" + tlsCertPath() + "\") or tls.keyPath (\"" + tlsKeyPath() + "\") is empty; give"
          + " both PEM files, or set tls.enabled to false.");
    }
    if (firstFrameTimeoutMs() != 0 && firstFrameTimeoutMs() < tickMs()) {
      throw new ConfigException("Invalid setting firstFrameTimeoutMs = " + firstFrameTimeoutMs()
          + ": must be 0 (the liveness window) or at least tickMs (" + tickMs() + "), since it"
          + " is checked once per tick.");
    }
    if (tickMs() * (maxMissed() + 1L) > Integer.MAX_VALUE) {
      throw new ConfigException("Invalid settings tickMs = " + tickMs() + " and maxMissed = "
          + maxMissed() + ": the window (maxMissed+1) x tickMs must stay below "
          + Integer.MAX_VALUE + " ms (about 24 days).");
    }
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

  @Override
  public String toString() {
    return toJson().encode();
  }
}
