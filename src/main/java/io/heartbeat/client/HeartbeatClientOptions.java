package io.heartbeat.client;

import io.vertx.core.json.JsonObject;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of a {@link HeartbeatClient}. Every setter validates its argument and throws
 * {@link IllegalArgumentException} naming the option, the value and what is accepted; rules that
 * involve two options are checked by {@link #validate()}, which
 * {@link HeartbeatClient#create} calls. Times are in milliseconds.
 *
 * <p>Vert.x data-object style: {@link #HeartbeatClientOptions(JsonObject)} reads the keys that
 * {@link #toJson()} writes (same names as the setters, e.g. {@code "serverTimeoutMs"}; servers as
 * {@code [{"host": ..., "port": ...}]}; TLS as the object of {@link ClientTlsOptions#toJson()}),
 * and refuses an unknown key or a value of the wrong type with one line naming the key.
 *
 * <p>Not thread-safe; the client takes a copy when it is created, so later changes to this object
 * do not affect a running client.
 */
public final class HeartbeatClientOptions {

  /** Default server host: loopback. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Default server port, the service's default. */
  public static final int DEFAULT_PORT = 15000;
  /** Default heartbeat interval: the service's default tick. */
  public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 3000;
  /** Default server timeout: five heartbeat intervals. */
  public static final long DEFAULT_SERVER_TIMEOUT_MS = 15_000;
  /** Default TCP connect timeout. */
  public static final int DEFAULT_CONNECT_TIMEOUT_MS = 5000;
  /** Default upper bound of the first reconnect delay. */
  public static final long DEFAULT_RECONNECT_INITIAL_DELAY_MS = 100;
  /** Default growth factor of the reconnect delay bound per failed attempt. */
  public static final double DEFAULT_RECONNECT_MULTIPLIER = 2.0;
  /** Default cap of the reconnect delay bound. */
  public static final long DEFAULT_RECONNECT_MAX_DELAY_MS = 30_000;
  /** Default: retry for ever. */
  public static final int DEFAULT_MAX_RECONNECT_ATTEMPTS = 0;
  /** Default upper bound of the random delay before returning after a server shutdown. */
  public static final long DEFAULT_SHUTDOWN_JITTER_MS = 10_000;
  /** Default: a kicked client stays away. */
  public static final boolean DEFAULT_RECONNECT_AFTER_KICKED = false;
  /** Default byte order, the protocol's default. */
  public static final ByteOrder DEFAULT_BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;
  /** Default largest accepted payload, the service's default. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 65536;

  /** Default: no kernel TCP keepalive (the heartbeat is the liveness check). */
  public static final boolean DEFAULT_TCP_KEEP_ALIVE = false;
  /** Default: no TCP_USER_TIMEOUT (the kernel's retransmission limits apply). */
  public static final int DEFAULT_TCP_USER_TIMEOUT_MS = 0;
  /** Default: no session (a version 1 client that sends no HELLO). */
  public static final String DEFAULT_CLIENT_ID = null;
  /** Default requested heartbeat interval: 0, "the server's tick". */
  public static final int DEFAULT_REQUESTED_INTERVAL_MS = 0;
  /** Default: a client whose id was taken over by a newer connection stays away. */
  public static final boolean DEFAULT_RECONNECT_AFTER_REPLACED = false;
  /** Default: a client whose credential was refused stays away. */
  public static final boolean DEFAULT_RECONNECT_AFTER_UNAUTHORIZED = false;
  /** Most servers a list may hold. */
  public static final int MAX_SERVERS = 256;

  private List<ServerAddress> servers = List.of(new ServerAddress(DEFAULT_HOST, DEFAULT_PORT));
  private long heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;
  private long serverTimeoutMs = DEFAULT_SERVER_TIMEOUT_MS;
  private int connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
  private long reconnectInitialDelayMs = DEFAULT_RECONNECT_INITIAL_DELAY_MS;
  private double reconnectMultiplier = DEFAULT_RECONNECT_MULTIPLIER;
  private long reconnectMaxDelayMs = DEFAULT_RECONNECT_MAX_DELAY_MS;
  private int maxReconnectAttempts = DEFAULT_MAX_RECONNECT_ATTEMPTS;
  private long shutdownJitterMs = DEFAULT_SHUTDOWN_JITTER_MS;
  private boolean reconnectAfterKicked = DEFAULT_RECONNECT_AFTER_KICKED;
  private ByteOrder byteOrder = DEFAULT_BYTE_ORDER;
  private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
  private boolean tcpKeepAlive = DEFAULT_TCP_KEEP_ALIVE;
  private int tcpUserTimeoutMs = DEFAULT_TCP_USER_TIMEOUT_MS;
  private ClientTlsOptions tls;
  private String clientId = DEFAULT_CLIENT_ID;
  private int requestedIntervalMs = DEFAULT_REQUESTED_INTERVAL_MS;
  private String token;
  private boolean reconnectAfterReplaced = DEFAULT_RECONNECT_AFTER_REPLACED;
  private boolean reconnectAfterUnauthorized = DEFAULT_RECONNECT_AFTER_UNAUTHORIZED;

  /** Options with every default. */
  public HeartbeatClientOptions() {
  }

  /** A copy of {@code other}. */
  public HeartbeatClientOptions(HeartbeatClientOptions other) {
    servers = other.servers;
    heartbeatIntervalMs = other.heartbeatIntervalMs;
    serverTimeoutMs = other.serverTimeoutMs;
    connectTimeoutMs = other.connectTimeoutMs;
    reconnectInitialDelayMs = other.reconnectInitialDelayMs;
    reconnectMultiplier = other.reconnectMultiplier;
    reconnectMaxDelayMs = other.reconnectMaxDelayMs;
    maxReconnectAttempts = other.maxReconnectAttempts;
    shutdownJitterMs = other.shutdownJitterMs;
    reconnectAfterKicked = other.reconnectAfterKicked;
    byteOrder = other.byteOrder;
    maxPayloadBytes = other.maxPayloadBytes;
    tcpKeepAlive = other.tcpKeepAlive;
    tcpUserTimeoutMs = other.tcpUserTimeoutMs;
    tls = other.tls == null ? null : new ClientTlsOptions(other.tls);
    clientId = other.clientId;
    requestedIntervalMs = other.requestedIntervalMs;
    token = other.token;
    reconnectAfterReplaced = other.reconnectAfterReplaced;
    reconnectAfterUnauthorized = other.reconnectAfterUnauthorized;
  }

  /**
   * Options from JSON: the keys of {@link #toJson()}; absent keys keep their defaults. The legacy
   * keys {@code "host"} and {@code "port"} are read too and, like the setters, change the first
   * server.
   *
   * @throws IllegalArgumentException naming the key for an unknown key, a wrong type or a value
   *     out of range
   */
  public HeartbeatClientOptions(JsonObject json) {
    OptionsJson.read(json, this);
  }

  /** Every option as JSON, readable by {@link #HeartbeatClientOptions(JsonObject)}. */
  public JsonObject toJson() {
    return OptionsJson.write(this);
  }

  /**
   * Host name or address of the first server of the list (the only one unless
   * {@link #setServers} gave more); not empty.
   */
  public HeartbeatClientOptions setHost(String host) {
    return replaceFirst(new ServerAddress(host, servers.get(0).port()));
  }

  /** Port of the first server of the list, 1..65535. */
  public HeartbeatClientOptions setPort(int port) {
    return replaceFirst(new ServerAddress(servers.get(0).host(), port));
  }

  /**
   * The servers to connect to, in order of preference: 1..{@value #MAX_SERVERS} entries. The
   * client tries them in this order, wrapping around; a failed connect moves on to the next
   * server at once, and only after a whole pass over the list failed does it wait one backoff
   * step (see {@link HeartbeatClient} for the exact rule). Replaces the host and port set before.
   */
  public HeartbeatClientOptions setServers(List<ServerAddress> servers) {
    if (servers == null || servers.isEmpty() || servers.size() > MAX_SERVERS
        || servers.stream().anyMatch(java.util.Objects::isNull)) {
      throw new IllegalArgumentException("servers must hold 1.." + MAX_SERVERS
          + " addresses and no null, was " + servers);
    }
    this.servers = List.copyOf(servers);
    return this;
  }

  private HeartbeatClientOptions replaceFirst(ServerAddress first) {
    List<ServerAddress> next = new ArrayList<>(servers);
    next.set(0, first);
    servers = List.copyOf(next);
    return this;
  }

  /**
   * A HEARTBEAT is sent when nothing was sent for this long (DATA sent counts, so a busy link
   * sends none). Because the server answers only heartbeats, one is also sent when nothing has
   * arrived from the server for half of serverTimeoutMs (at most one per interval), to draw an
   * ack. While serverTimeoutMs is above 0, at most one heartbeat is unanswered: after one, the
   * next waits until some frame has arrived from the server (see {@link #setServerTimeoutMs}).
   * 0 disables heartbeats (then only DATA and the answers to server probes show life).
   * Up to 24 hours.
   */
  public HeartbeatClientOptions setHeartbeatIntervalMs(long heartbeatIntervalMs) {
    this.heartbeatIntervalMs = check("heartbeatIntervalMs", heartbeatIntervalMs, 0, 86_400_000);
    return this;
  }

  /**
   * The server is judged dead, and the connection closed (reason
   * {@link DisconnectReason.Kind#SERVER_TIMEOUT}), when no complete frame at all arrives from it
   * for this long. Every frame counts as life: HEARTBEAT_ACK, a server probe (HEARTBEAT), DATA,
   * GOODBYE. 0 disables the check. Must exceed heartbeatIntervalMs when both are above 0 and no
   * client id is set (with a client id the interval is the WELCOME's grant, and this bounds the
   * wait for the WELCOME; after it the grant's {@link SessionGrant#serverDeadAfterMs()} applies).
   *
   * <p>What the server must send for this to work. Protocol 1.0 gives a client only two ways to
   * draw a frame from a server that has nothing to say: a HEARTBEAT, which the server answers
   * with HEARTBEAT_ACK only when its {@code ackHeartbeats} is true (the default), and silence,
   * which a server with {@code probeEnabled} answers with a probe after {@code probeAfterMissed}
   * silent ticks. The client uses both: it sends a heartbeat, and until some frame arrives it
   * sends no other (it stays silent, answering probes at once). So:
   * <ul>
   *   <li>{@code ackHeartbeats} true: the ack comes within a round trip; a live server is heard
   *       at least every heartbeatIntervalMs while the link is idle.</li>
   *   <li>{@code ackHeartbeats} false, {@code probeEnabled} true: a live server is heard at least
   *       every heartbeatIntervalMs + (probeAfterMissed + 1) x tickMs (the unanswered heartbeat,
   *       then the probe that the client's silence draws). Set serverTimeoutMs above that, with
   *       room for pauses: e.g. heartbeatIntervalMs + (probeAfterMissed + 2) x tickMs or more.
   *       The server's dataCountsAsActivity must be false, or the client must leave
   *       probeAfterMissed ticks without DATA now and then: DATA that keeps the server's counter
   *       at 0 also keeps it from probing.</li>
   *   <li>{@code ackHeartbeats} false, {@code probeEnabled} false: a live server that has no DATA
   *       to send is silent for ever, and no client can tell it from a dead one at the
   *       application layer. Set serverTimeoutMs to 0 (the client then heartbeats every interval
   *       and never judges the server) and rely on {@link #setTcpKeepAlive} and
   *       {@link #setTcpUserTimeoutMs} for a vanished peer, or turn acks or probing on. With
   *       serverTimeoutMs above 0 the link is dropped within about serverTimeoutMs of every
   *       connect (by the client's timeout or, once its single heartbeat went unanswered, by the
   *       server's own silence rule).</li>
   * </ul>
   * A server process that is stopped (SIGSTOP) or cut off (packets dropped) sends nothing in any
   * of these configurations and is judged dead serverTimeoutMs after its last frame.
   */
  public HeartbeatClientOptions setServerTimeoutMs(long serverTimeoutMs) {
    this.serverTimeoutMs = check("serverTimeoutMs", serverTimeoutMs, 0, 86_400_000);
    return this;
  }

  /** TCP connect timeout, 1..600,000 ms. */
  public HeartbeatClientOptions setConnectTimeoutMs(int connectTimeoutMs) {
    this.connectTimeoutMs = (int) check("connectTimeoutMs", connectTimeoutMs, 1, 600_000);
    return this;
  }

  /** Bound of the first reconnect delay (full jitter: the delay is uniform in 0..bound). 0..1 h. */
  public HeartbeatClientOptions setReconnectInitialDelayMs(long reconnectInitialDelayMs) {
    this.reconnectInitialDelayMs =
        check("reconnectInitialDelayMs", reconnectInitialDelayMs, 0, 3_600_000);
    return this;
  }

  /** Factor the delay bound grows by after each failed attempt; 1.0 (constant) to 100. */
  public HeartbeatClientOptions setReconnectMultiplier(double reconnectMultiplier) {
    if (!(reconnectMultiplier >= 1.0 && reconnectMultiplier <= 100.0)) {
      throw new IllegalArgumentException("reconnectMultiplier must be in 1.0..100.0, was "
          + reconnectMultiplier);
    }
    this.reconnectMultiplier = reconnectMultiplier;
    return this;
  }

  /** Cap of the delay bound, 0..24 h; must be at least reconnectInitialDelayMs. */
  public HeartbeatClientOptions setReconnectMaxDelayMs(long reconnectMaxDelayMs) {
    this.reconnectMaxDelayMs = check("reconnectMaxDelayMs", reconnectMaxDelayMs, 0, 86_400_000);
    return this;
  }

  /**
   * Consecutive failed connect attempts after which the client gives up and stops; 0 retries for
   * ever. Applies to the first {@link HeartbeatClient#connect()} as well.
   */
  public HeartbeatClientOptions setMaxReconnectAttempts(int maxReconnectAttempts) {
    this.maxReconnectAttempts =
        (int) check("maxReconnectAttempts", maxReconnectAttempts, 0, Integer.MAX_VALUE);
    return this;
  }

  /**
   * After the server says GOODBYE "shutdown", the first reconnect attempt waits a uniformly random
   * 0..this many ms, so that thousands of clients do not return in the same second. 0 means the
   * ordinary backoff applies at once. Up to 1 h.
   */
  public HeartbeatClientOptions setShutdownJitterMs(long shutdownJitterMs) {
    this.shutdownJitterMs = check("shutdownJitterMs", shutdownJitterMs, 0, 3_600_000);
    return this;
  }

  /** Whether to reconnect (with the ordinary backoff) after the server said GOODBYE "kicked". */
  public HeartbeatClientOptions setReconnectAfterKicked(boolean reconnectAfterKicked) {
    this.reconnectAfterKicked = reconnectAfterKicked;
    return this;
  }

  /** Frame header byte order; must match the server's byteOrder. */
  public HeartbeatClientOptions setByteOrder(ByteOrder byteOrder) {
    if (byteOrder == null) {
      throw new IllegalArgumentException("byteOrder must be LITTLE_ENDIAN or BIG_ENDIAN, was null");
    }
    this.byteOrder = byteOrder;
    return this;
  }

  /**
   * Largest payload accepted from the server (a longer one is a protocol error and closes the
   * connection) and sent by {@link HeartbeatClient#send}; 0..16 MiB.
   */
  public HeartbeatClientOptions setMaxPayloadBytes(int maxPayloadBytes) {
    this.maxPayloadBytes = (int) check("maxPayloadBytes", maxPayloadBytes, 0, 16 * 1024 * 1024);
    return this;
  }

  /**
   * Kernel TCP keepalive (SO_KEEPALIVE) on the client's sockets. Only on/off: Vert.x 5.0 has no
   * public setting for the keepalive idle time, interval and count, so they are the operating
   * system's (Linux: {@code net.ipv4.tcp_keepalive_time} 7200 s, {@code _intvl} 75 s,
   * {@code _probes} 9 unless changed with sysctl). A second line of defence: it finds a peer whose
   * machine vanished, never a stopped process (its kernel still answers).
   */
  public HeartbeatClientOptions setTcpKeepAlive(boolean tcpKeepAlive) {
    this.tcpKeepAlive = tcpKeepAlive;
    return this;
  }

  /**
   * Linux TCP_USER_TIMEOUT: the kernel drops the connection (the client reports
   * {@link DisconnectReason.Kind#IO_ERROR}) when data it sent stays unacknowledged for this long.
   * 0 (the default) leaves the kernel's retransmission limits. Takes effect only when the Vertx
   * instance runs the native epoll transport; the client logs one warning at creation otherwise.
   * 0..24 h.
   */
  public HeartbeatClientOptions setTcpUserTimeoutMs(int tcpUserTimeoutMs) {
    this.tcpUserTimeoutMs = (int) check("tcpUserTimeoutMs", tcpUserTimeoutMs, 0, 86_400_000);
    return this;
  }

  /**
   * Connect with TLS using these settings (copied); null (the default) connects in plain TCP.
   * Every server of the list is then spoken to with TLS.
   */
  public HeartbeatClientOptions setTls(ClientTlsOptions tls) {
    this.tls = tls == null ? null : new ClientTlsOptions(tls);
    return this;
  }

  /**
   * The client's identity for a protocol 1.1 session; null (the default) makes a version 1
   * client that sends no HELLO. With an id, the first frame of every connection is a HELLO with
   * this id, {@link #setRequestedIntervalMs} and {@link #setToken}; the connection counts as
   * open only when the server's WELCOME arrives, and from then on the client heartbeats at the
   * interval the WELCOME grants and judges the server by the window it announces (see
   * {@link HeartbeatClient}). 1..128 bytes of UTF-8, no control characters (U+0000..U+001F,
   * U+007F); unique in the deployment, as a newer connection with the same id replaces this one.
   */
  public HeartbeatClientOptions setClientId(String clientId) {
    this.clientId = SessionFields.clientId(clientId);
    return this;
  }

  /**
   * The heartbeat interval asked for in the HELLO; 0 (the default) asks for the server's tick.
   * Only a wish: the server grants an interval within its own bounds, rounded up to whole ticks,
   * and the client uses the granted one. Used only with a {@link #setClientId client id}.
   * 0..86,400,000.
   */
  public HeartbeatClientOptions setRequestedIntervalMs(int requestedIntervalMs) {
    this.requestedIntervalMs =
        (int) check("requestedIntervalMs", requestedIntervalMs, 0, 86_400_000);
    return this;
  }

  /**
   * The credential sent in the HELLO (for example a JWT in compact form whose {@code sub} is the
   * client id); null or empty (the default) sends none. Visible ASCII (0x21..0x7E), at most
   * 65,535 bytes; the server has its own, lower limit ({@code auth.maxTokenBytes}, 4096 by
   * default) and closes the connection without a word above it. Needs a client id. It is part of
   * {@link #toJson()}: do not log that.
   */
  public HeartbeatClientOptions setToken(String token) {
    this.token = SessionFields.token(token);
    return this;
  }

  /**
   * Whether to reconnect (with the ordinary backoff) after the server said GOODBYE "replaced":
   * another connection opened a session with the same client id. False by default, so that two
   * processes configured with one id do not take it from each other for ever.
   */
  public HeartbeatClientOptions setReconnectAfterReplaced(boolean reconnectAfterReplaced) {
    this.reconnectAfterReplaced = reconnectAfterReplaced;
    return this;
  }

  /**
   * Whether to keep trying (with the growing backoff of a failed pass) after the server said
   * GOODBYE "unauthorized". False by default: a refused credential will be refused again.
   */
  public HeartbeatClientOptions setReconnectAfterUnauthorized(boolean reconnectAfterUnauthorized) {
    this.reconnectAfterUnauthorized = reconnectAfterUnauthorized;
    return this;
  }

  /**
   * Checks the rules between options.
   *
   * @throws IllegalArgumentException naming the options and values that conflict
   */
  public HeartbeatClientOptions validate() {
    // With a client id, heartbeatIntervalMs is not used (the WELCOME's grant is) and
    // serverTimeoutMs only bounds the wait for the WELCOME: the rule does not apply.
    if (clientId == null && heartbeatIntervalMs > 0 && serverTimeoutMs > 0
        && serverTimeoutMs <= heartbeatIntervalMs) {
      throw new IllegalArgumentException("serverTimeoutMs (" + serverTimeoutMs + ") must be above"
          + " heartbeatIntervalMs (" + heartbeatIntervalMs + "): the server only answers"
          + " heartbeats, so a shorter timeout judges a quiet live server dead");
    }
    if (reconnectMaxDelayMs < reconnectInitialDelayMs) {
      throw new IllegalArgumentException("reconnectMaxDelayMs (" + reconnectMaxDelayMs
          + ") must be at least reconnectInitialDelayMs (" + reconnectInitialDelayMs + ")");
    }
    if (token != null && clientId == null) {
      throw new IllegalArgumentException("token is set but clientId is not: a token is sent only"
          + " in a HELLO, which needs a clientId");
    }
    if (tls != null) {
      tls.validate();
    }
    return this;
  }

  static long check(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", was "
          + value);
    }
    return value;
  }

  /** Host of the first server. */
  public String getHost() {
    return servers.get(0).host();
  }

  /** Port of the first server. */
  public int getPort() {
    return servers.get(0).port();
  }

  /** The servers, in order (unmodifiable). */
  public List<ServerAddress> getServers() {
    return servers;
  }

  public boolean isTcpKeepAlive() {
    return tcpKeepAlive;
  }

  public int getTcpUserTimeoutMs() {
    return tcpUserTimeoutMs;
  }

  /** The TLS settings (a copy), or null for plain TCP. */
  public ClientTlsOptions getTls() {
    return tls == null ? null : new ClientTlsOptions(tls);
  }

  public long getHeartbeatIntervalMs() {
    return heartbeatIntervalMs;
  }

  public long getServerTimeoutMs() {
    return serverTimeoutMs;
  }

  public int getConnectTimeoutMs() {
    return connectTimeoutMs;
  }

  public long getReconnectInitialDelayMs() {
    return reconnectInitialDelayMs;
  }

  public double getReconnectMultiplier() {
    return reconnectMultiplier;
  }

  public long getReconnectMaxDelayMs() {
    return reconnectMaxDelayMs;
  }

  public int getMaxReconnectAttempts() {
    return maxReconnectAttempts;
  }

  public long getShutdownJitterMs() {
    return shutdownJitterMs;
  }

  public boolean isReconnectAfterKicked() {
    return reconnectAfterKicked;
  }

  public ByteOrder getByteOrder() {
    return byteOrder;
  }

  public int getMaxPayloadBytes() {
    return maxPayloadBytes;
  }

  /** The client id, or null for a version 1 client (no HELLO). */
  public String getClientId() {
    return clientId;
  }

  public int getRequestedIntervalMs() {
    return requestedIntervalMs;
  }

  /** The token, or null for none. */
  public String getToken() {
    return token;
  }

  public boolean isReconnectAfterReplaced() {
    return reconnectAfterReplaced;
  }

  public boolean isReconnectAfterUnauthorized() {
    return reconnectAfterUnauthorized;
  }

  /** Equal when {@link #toJson()} is. */
  @Override
  public boolean equals(Object o) {
    return o instanceof HeartbeatClientOptions
        && toJson().equals(((HeartbeatClientOptions) o).toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }
}
