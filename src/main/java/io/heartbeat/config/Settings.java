package io.heartbeat.config;

import static io.heartbeat.config.Setting.boolSetting;
import static io.heartbeat.config.Setting.choiceSetting;
import static io.heartbeat.config.Setting.intSetting;
import static io.heartbeat.config.Setting.longSetting;
import static io.heartbeat.config.Setting.optionalStringSetting;
import static io.heartbeat.config.Setting.secretSetting;
import static io.heartbeat.config.Setting.stringSetting;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every configuration key, in one place: name, type, default, range, meaning, reloadability.
 * docs/CONFIGURATION.md's settings table is written from this list (a test compares them).
 */
public final class Settings {

  public static final Setting HOST = stringSetting("host", "0.0.0.0", false,
      "Address the heartbeat port binds to.");
  public static final Setting PORT = intSetting("port", 15000, 0, 65535, false,
      "TCP port for clients; 0 picks a free port (logged at start).");
  public static final Setting IO_INSTANCES = intSetting("ioInstances", 0, 0, 1024, false,
      "Number of I/O verticle instances, which take the port's accepted sockets in turn; 0"
          + " means one per CPU core.");
  public static final Setting IO_EDGE = choiceSetting("ioEdge", "NETSERVER",
      List.of("NETSERVER", "LEAN"), false, "How the client port is served: NETSERVER (a Vert.x"
          + " NetServer per I/O instance, public API) or LEAN (one Netty listener of our own,"
          + " less memory per connection; see README Architecture).");
  public static final Setting TICK_MS = longSetting("tickMs", 3000, 10, 3_600_000, true,
      "Liveness tick in milliseconds: every tick each connection's missed-tick counter ages.");
  public static final Setting MAX_MISSED = intSetting("maxMissed", 5, 1, 10_000, true,
      "A connection silent for this many ticks is closed (window maxMissed x tickMs to"
          + " (maxMissed+1) x tickMs).");
  public static final Setting BYTE_ORDER = choiceSetting("byteOrder", "LITTLE_ENDIAN",
      List.of("LITTLE_ENDIAN", "BIG_ENDIAN"), false,
      "Byte order of the frame header; both ends must agree.");
  public static final Setting MAX_PAYLOAD_BYTES = intSetting("maxPayloadBytes", 65536, 0,
      16 * 1024 * 1024, false,
      "Largest legal payload in bytes; a longer declared length closes the connection.");
  public static final Setting ACK_HEARTBEATS = boolSetting("ackHeartbeats", true, true,
      "Reply HEARTBEAT_ACK to every HEARTBEAT.");
  public static final Setting DATA_COUNTS_AS_ACTIVITY = boolSetting("dataCountsAsActivity", true,
      true, "Whether a DATA frame resets the missed-tick counter like a HEARTBEAT does.");
  public static final Setting PROBE_ENABLED = boolSetting("probeEnabled", false, true,
      "Server probing: send a HEARTBEAT to a connection silent for probeAfterMissed ticks.");
  public static final Setting PROBE_AFTER_MISSED = intSetting("probeAfterMissed", 2, 1, 10_000,
      true, "Missed ticks after which a silent connection is probed (below maxMissed).");
  public static final Setting DETECTION_ENABLED = boolSetting("detectionEnabled", true, true,
      "Close connections that stay silent; false never closes for silence (debugging).");
  public static final Setting LOG_HEARTBEATS = boolSetting("logHeartbeats", false, true,
      "Log one line per heartbeat received and ack sent (floods logs; debugging).");
  public static final Setting TCP_KEEP_ALIVE = boolSetting("tcpKeepAlive", false, false,
      "Kernel TCP keepalive on accepted sockets (second line of defence).");
  public static final Setting TCP_KEEP_ALIVE_IDLE_SECONDS = intSetting("tcpKeepAliveIdleSeconds",
      60, 1, 32767, false, "Seconds of idleness before the kernel sends the first keepalive probe.");
  public static final Setting TCP_KEEP_ALIVE_INTERVAL_SECONDS = intSetting(
      "tcpKeepAliveIntervalSeconds", 10, 1, 32767, false,
      "Seconds between unanswered keepalive probes.");
  public static final Setting TCP_KEEP_ALIVE_COUNT = intSetting("tcpKeepAliveCount", 3, 1, 127,
      false, "Unanswered keepalive probes before the kernel drops the connection.");
  public static final Setting CONFIG_SCAN_MS = longSetting("configScanMs", 2000, 0, 3_600_000,
      false, "How often the config file is re-read for run-time changes, in ms; 0 disables.");
  public static final Setting LOG_FORMAT = choiceSetting("logFormat", "TEXT",
      List.of("TEXT", "JSON"), false, "Log line format on the console: TEXT (ISO-8601 time,"
          + " level, thread, logger, message) or JSON (one object per line for log shippers)."
          + " An explicit -Dlogback.configurationFile takes precedence.");

  public static final Setting MAX_CONNECTIONS = intSetting("maxConnections", 19_000, 0,
      10_000_000, false, "Connections held at most by this process; more are closed at once."
          + " 0 means no limit (the open-files limit then decides). Leave room below the"
          + " process's open-files limit for its own files.");
  public static final Setting MAX_CONNECTIONS_PER_IP = intSetting("maxConnectionsPerIp", 0, 0,
      10_000_000, false, "Connections from one source address at most; more are closed at once."
          + " 0 means no limit (clients behind one NAT share an address).");
  public static final Setting FIRST_FRAME_TIMEOUT_MS = longSetting("firstFrameTimeoutMs", 0,
      0, 3_600_000, true, "A connection that has not completed one legal frame within this many"
          + " ms of accept is closed (first-frame-timeout). 0 means the liveness window: a client"
          + " silent from accept is judged like any silent client, closed (timeout) between"
          + " maxMissed x tickMs and (maxMissed+1) x tickMs. An explicit value must be at least"
          + " tickMs (it is checked once per tick).");
  public static final Setting MAX_PENDING_WRITE_BYTES = intSetting("maxPendingWriteBytes", 65_536,
      1024, 16 * 1024 * 1024, false, "Bytes queued for a peer that does not read before writes"
          + " to it stop; a connection whose queue stays full for a tick is closed"
          + " (slow-consumer).");
  public static final Setting SHUTDOWN_GRACE_MS = longSetting("shutdownGraceMs", 10_000, 0,
      600_000, true, "On shutdown or drain, how long to wait for clients to leave after their"
          + " GOODBYE before closing the rest, in ms.");
  public static final Setting SHUTDOWN_GOODBYES_PER_SECOND = intSetting(
      "shutdownGoodbyesPerSecond", 5_000, 1, 10_000_000, true,
      "Pace of GOODBYE \"shutdown\" frames during a drain, per second and I/O instance, so"
          + " clients do not all reconnect elsewhere at once.");
  public static final Setting ADMIN_ENABLED = boolSetting("admin.enabled", true, false,
      "Serve the admin HTTP API (/health, /ready, /metrics, /connections, /drain).");
  public static final Setting ADMIN_HOST = stringSetting("admin.host", "127.0.0.1", false,
      "Address the admin HTTP server binds to (loopback by default).");
  public static final Setting ADMIN_PORT = intSetting("admin.port", 15080, 0, 65535, false,
      "Admin HTTP port; 0 picks a free port (logged at start).");
  public static final Setting ADMIN_TOKEN = secretSetting("admin.token",
      "Bearer token the admin API requires (Authorization: Bearer <token>) except on /health"
          + " and /ready; empty means no token.");
  public static final Setting TLS_ENABLED = boolSetting("tls.enabled", false, false,
      "Serve the client port over TLS 1.2/1.3 only.");
  public static final Setting TLS_CERT_PATH = optionalStringSetting("tls.certPath", false,
      "PEM certificate chain of the server (required with tls.enabled).");
  public static final Setting TLS_KEY_PATH = optionalStringSetting("tls.keyPath", false,
      "PEM private key of the server (required with tls.enabled).");
  public static final Setting TLS_CLIENT_CA_PATH = optionalStringSetting("tls.clientCaPath",
      false, "PEM CA certificates; when set, clients must present a certificate they signed"
          + " (mutual TLS).");
  public static final Setting TLS_HANDSHAKE_TIMEOUT_MS = longSetting("tls.handshakeTimeoutMs",
      10_000, 100, 600_000, false, "A TLS handshake not finished within this many ms is"
          + " abandoned and the connection closed.");

  public static final Setting CLUSTER_ENABLED = boolSetting("cluster.enabled", false, false,
      "Join a cluster of Heartbeat nodes (Vert.x clustered event bus, Hazelcast); the -cluster"
          + " command-line flag sets it too.");
  public static final Setting CLUSTER_ROLE = choiceSetting("cluster.role", "BOTH",
      List.of("BOTH", "IO", "MONITOR"), false, "What this node runs: BOTH (client port and"
          + " detection), IO (client port only; detection by monitors on other nodes) or MONITOR"
          + " (detection only, no client port). IO and MONITOR need cluster.enabled.");
  public static final Setting CLUSTER_HOST = stringSetting("cluster.host", "127.0.0.1", false,
      "Address the event bus listens on for other nodes (and tells them to use); must be"
          + " reachable from every node and should be on a private network.");
  public static final Setting CLUSTER_PORT = intSetting("cluster.port", 0, 0, 65535, false,
      "Event-bus port for other nodes; 0 picks a free port.");
  public static final Setting CLUSTER_CONFIG_FILE = stringSetting("cluster.configFile",
      "conf/cluster.xml", false, "Hazelcast configuration (XML): cluster name, member port,"
          + " interface and TCP-IP member list.");
  public static final Setting CLUSTER_NAME = optionalStringSetting("cluster.name", false,
      "Overrides <cluster-name> of cluster.configFile; empty keeps the file's.");
  public static final Setting CLUSTER_HAZELCAST_PORT = intSetting("cluster.hazelcastPort", 0, 0,
      65535, false, "Overrides the Hazelcast member port of cluster.configFile (exactly this"
          + " port, no auto-increment); 0 keeps the file's.");
  public static final Setting CLUSTER_MEMBERS = optionalStringSetting("cluster.members", false,
      "Overrides the TCP-IP member list of cluster.configFile: comma-separated host:port;"
          + " empty keeps the file's.");
  public static final Setting CLUSTER_MONITOR_TIMEOUT_MS = longSetting("cluster.monitorTimeoutMs",
      0, 0, 3_600_000, false, "A node unheard of for this many ms loses its monitors' share of"
          + " the connections to the other monitors; 0 means 2 x tickMs (values below tickMs are"
          + " raised to tickMs).");

  public static final Setting SESSION_MIN_INTERVAL_MS = longSetting("session.minIntervalMs", 0,
      0, Integer.MAX_VALUE, false, "Shortest heartbeat interval granted to a session (HELLO),"
          + " in ms; 0 means tickMs. Must not exceed session.maxIntervalMs.");
  public static final Setting SESSION_MAX_INTERVAL_MS = longSetting("session.maxIntervalMs",
      1_800_000, 10, Integer.MAX_VALUE, false, "Longest heartbeat interval granted to a session"
          + " (HELLO), in ms; a longer request is granted this, rounded up to whole ticks.");
  public static final Setting SESSION_REQUIRED = boolSetting("session.required", false, false,
      "Every connection must open with HELLO (version 1 clients are refused); auth.mode jwt"
          + " implies it.");
  public static final Setting SESSION_FLAP_MAX_CONNECTS = intSetting("session.flapMaxConnects",
      15, 0, 10_000, false, "A client id connecting more than this many times within"
          + " session.flapWindowMs is refused (GOODBYE flapping) for session.flapBanMs; 0 turns"
          + " the guard off.");
  public static final Setting SESSION_FLAP_WINDOW_MS = longSetting("session.flapWindowMs",
      60_000, 1, 86_400_000, false, "The sliding window, in ms, in which"
          + " session.flapMaxConnects connects of one client id are allowed.");
  public static final Setting SESSION_FLAP_BAN_MS = longSetting("session.flapBanMs", 300_000, 0,
      86_400_000, false, "How long, in ms, a flapping client id is refused; counted from the"
          + " refused connect, not extended by further attempts.");
  public static final Setting AUTH_MODE = choiceSetting("auth.mode", "NONE",
      List.of("NONE", "JWT"), false, "Credentials of sessions: NONE (tokens are ignored) or JWT"
          + " (every connection must open with HELLO carrying a JWT whose sub is its client id;"
          + " needs auth.jwtSecret or auth.jwtPublicKeyPath).");
  public static final Setting AUTH_JWT_SECRET = secretSetting("auth.jwtSecret",
      "Shared secret of HS256 tokens (UTF-8), for auth.mode jwt; never logged or shown.");
  public static final Setting AUTH_JWT_PUBLIC_KEY_PATH = optionalStringSetting(
      "auth.jwtPublicKeyPath", false, "PEM public key (BEGIN PUBLIC KEY) of RS256 (RSA) or ES256"
          + " (EC P-256) tokens, for auth.mode jwt; read once at start.");
  public static final Setting AUTH_MAX_TOKEN_BYTES = intSetting("auth.maxTokenBytes", 4096, 0,
      65535, false, "Longest token a HELLO may carry, in bytes; a longer one is illegal input.");

  private static final Map<String, Setting> BY_KEY = new LinkedHashMap<>();

  static {
    for (Setting s : List.of(HOST, PORT, IO_INSTANCES, IO_EDGE, TICK_MS, MAX_MISSED, BYTE_ORDER,
        MAX_PAYLOAD_BYTES, ACK_HEARTBEATS, DATA_COUNTS_AS_ACTIVITY, PROBE_ENABLED,
        PROBE_AFTER_MISSED, DETECTION_ENABLED, LOG_HEARTBEATS, TCP_KEEP_ALIVE,
        TCP_KEEP_ALIVE_IDLE_SECONDS, TCP_KEEP_ALIVE_INTERVAL_SECONDS, TCP_KEEP_ALIVE_COUNT,
        CONFIG_SCAN_MS, LOG_FORMAT, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_IP, FIRST_FRAME_TIMEOUT_MS,
        MAX_PENDING_WRITE_BYTES, SHUTDOWN_GRACE_MS, SHUTDOWN_GOODBYES_PER_SECOND, ADMIN_ENABLED,
        ADMIN_HOST, ADMIN_PORT, ADMIN_TOKEN, TLS_ENABLED, TLS_CERT_PATH, TLS_KEY_PATH,
        TLS_CLIENT_CA_PATH, TLS_HANDSHAKE_TIMEOUT_MS, CLUSTER_ENABLED, CLUSTER_ROLE, CLUSTER_HOST,
        CLUSTER_PORT, CLUSTER_CONFIG_FILE, CLUSTER_NAME, CLUSTER_HAZELCAST_PORT, CLUSTER_MEMBERS,
        CLUSTER_MONITOR_TIMEOUT_MS, SESSION_MIN_INTERVAL_MS, SESSION_MAX_INTERVAL_MS,
        SESSION_REQUIRED, SESSION_FLAP_MAX_CONNECTS, SESSION_FLAP_WINDOW_MS, SESSION_FLAP_BAN_MS,
        AUTH_MODE, AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY_PATH, AUTH_MAX_TOKEN_BYTES)) {
      BY_KEY.put(s.key(), s);
    }
  }

  private Settings() {
  }

  /** All settings in documentation order. */
  public static List<Setting> all() {
    return List.copyOf(BY_KEY.values());
  }

  /** The setting with this key, or null. */
  public static Setting byKey(String key) {
    return BY_KEY.get(key);
  }
}
