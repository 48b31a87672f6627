package io.heartbeat.loadgen;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * The validated command line of the {@link LoadGenerator}. Every load is bounded: at most
 * {@link #MAX_CONNS} connections and {@link #MAX_DURATION_S} seconds, and only loopback targets
 * (127.0.0.0/8 or ::1) are accepted.
 */
final class LoadSettings {

  /** Most connections one process may open (20,000 open files per process, minus the JVM's). */
  static final int MAX_CONNS = 19_800;
  /** Longest run, in seconds. */
  static final int MAX_DURATION_S = 3600;
  /** Connections per source address chosen when --src-ips is 0 (ephemeral ports: ~28,000). */
  static final int CONNS_PER_SOURCE = 10_000;

  static final String USAGE = String.join("\n",
      "Usage: java -cp heartbeat.jar io.heartbeat.loadgen.LoadGenerator --port P [options]",
      "  --host H               target, loopback only (127.0.0.0/8, ::1) [127.0.0.1]",
      "  --conns N              connections, 1.." + MAX_CONNS + " [1000]",
      "  --connect-rate R       new connections per second [2000]",
      "  --interval-ms I        heartbeat interval per connection, phases spread evenly [1000]",
      "  --duration-s D         whole run, ramp included, 1.." + MAX_DURATION_S + " [20]",
      "  --settle-s S           steady window starts S s after the ramp [2]",
      "  --freeze-fraction F    fraction 0..1 of connections that go silent (socket kept) [0]",
      "  --freeze-at-s T        when they go silent, seconds from start [5]",
      "  --src-ips K            bind connection i to 127.0.0.(1 + i mod K); 0 = one per "
          + CONNS_PER_SOURCE + " [0]",
      "  --byte-order le|be     frame header byte order [le]",
      "  --progress-s P         seconds between progress lines on stderr; 0 = none [5]",
      "  --connect-timeout-s C  a connect not done by then is a failure [10]",
      "  --server-pid PID       sample the server's CPU and RSS from /proc",
      "  --client-id-prefix P   protocol 1.1: connection i opens with a HELLO for client id P<i>,",
      "                         asking --interval-ms, and heartbeats only after its WELCOME",
      "  --jwt-secret-file F    with --client-id-prefix: each HELLO carries an HS256 JWT signed",
      "                         with the secret in F (sub = the client id, exp = end + 1 h)",
      "Prints a table and, as the last line, one JSON object (hbload's keys).");

  String host = "127.0.0.1";
  int port = -1;
  int conns = 1000;
  int connectRate = 2000;
  long intervalMs = 1000;
  int durationS = 20;
  int settleS = 2;
  double freezeFraction;
  double freezeAtS = 5;
  int srcIps;
  ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;
  int progressS = 5;
  int connectTimeoutS = 10;
  long serverPid = -1;
  /** Client id prefix of session mode (protocol 1.1); null for version 1 connections. */
  String clientIdPrefix;
  /** File holding the HS256 secret that signs each session's token; null for no token. */
  String jwtSecretFile;

  /**
   * Parses and validates {@code args}.
   *
   * @throws IllegalArgumentException with a one-line message naming the bad option
   */
  static LoadSettings parse(String[] args) {
    LoadSettings s = new LoadSettings();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + name + " needs a value (or is unknown)");
      }
      String value = args[++i];
      switch (name) {
        case "--host" -> s.host = value;
        case "--port" -> s.port = (int) number(name, value, 1, 65535);
        case "--conns" -> s.conns = (int) number(name, value, 1, MAX_CONNS);
        case "--connect-rate" -> s.connectRate = (int) number(name, value, 1, 1_000_000);
        case "--interval-ms" -> s.intervalMs = number(name, value, 1, 3_600_000);
        case "--duration-s" -> s.durationS = (int) number(name, value, 1, MAX_DURATION_S);
        case "--settle-s" -> s.settleS = (int) number(name, value, 0, MAX_DURATION_S);
        case "--freeze-fraction" -> s.freezeFraction = fraction(name, value, 0, 1);
        case "--freeze-at-s" -> s.freezeAtS = fraction(name, value, 0, MAX_DURATION_S);
        case "--src-ips" -> s.srcIps = (int) number(name, value, 0, 254);
        case "--byte-order" -> s.byteOrder = byteOrder(value);
        case "--progress-s" -> s.progressS = (int) number(name, value, 0, 3600);
        case "--connect-timeout-s" -> s.connectTimeoutS = (int) number(name, value, 1, 600);
        case "--server-pid" -> s.serverPid = number(name, value, 1, Long.MAX_VALUE);
        case "--client-id-prefix" -> s.clientIdPrefix = clientIdPrefix(value);
        case "--jwt-secret-file" -> s.jwtSecretFile = value;
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (s.port < 0) {
      throw new IllegalArgumentException("--port is required");
    }
    requireLoopback(s.host);
    if (s.jwtSecretFile != null && s.clientIdPrefix == null) {
      throw new IllegalArgumentException("--jwt-secret-file needs --client-id-prefix (tokens ride"
          + " in a HELLO)");
    }
    if (s.srcIps == 0) {
      s.srcIps = (s.conns + CONNS_PER_SOURCE - 1) / CONNS_PER_SOURCE;
    }
    return s;
  }

  /** True when the connections open protocol 1.1 sessions (a HELLO first). */
  boolean sessions() {
    return clientIdPrefix != null;
  }

  /** The client id of connection {@code i} in session mode. */
  String clientId(int i) {
    return clientIdPrefix + i;
  }

  /** The source address of connection {@code i}: 127.0.0.(1 + i mod srcIps). */
  String sourceAddress(int i) {
    return "127.0.0." + (1 + i % srcIps);
  }

  /**
   * Refuses every target outside 127.0.0.0/8 and ::1: this tool must never load another host.
   *
   * @throws IllegalArgumentException naming the host and what it resolved to
   */
  static void requireLoopback(String host) {
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--host " + host + " does not resolve");
    }
    for (InetAddress a : addresses) {
      boolean loopback = a instanceof Inet4Address ? (a.getAddress()[0] & 0xFF) == 127
          : a.isLoopbackAddress();
      if (!loopback) {
        throw new IllegalArgumentException("--host " + host + " resolves to " + a.getHostAddress()
            + ": only loopback targets (127.0.0.0/8, ::1) are allowed");
      }
    }
  }

  private static long number(String name, String value, long min, long max) {
    long v;
    try {
      v = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, was \"" + value + "\"");
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", was " + v);
    }
    return v;
  }

  private static double fraction(String name, String value, double min, double max) {
    double v;
    try {
      v = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, was \"" + value + "\"");
    }
    if (!(v >= min && v <= max)) {
      throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", was " + v);
    }
    return v;
  }

  private static String clientIdPrefix(String value) {
    // The longest id (prefix plus up to 5 digits) must fit the protocol's 128 bytes of UTF-8.
    boolean printable = value.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    if (value.isEmpty() || value.length() > 100 || !printable) {
      throw new IllegalArgumentException("--client-id-prefix must be 1..100 printable ASCII"
          + " characters, was \"" + value + "\"");
    }
    return value;
  }

  private static ByteOrder byteOrder(String value) {
    switch (value) {
      case "le":
        return ByteOrder.LITTLE_ENDIAN;
      case "be":
        return ByteOrder.BIG_ENDIAN;
      default:
        throw new IllegalArgumentException("--byte-order must be le or be, was \"" + value + "\"");
    }
  }
}
