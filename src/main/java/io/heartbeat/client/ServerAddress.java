package io.heartbeat.client;

import io.vertx.core.json.JsonObject;

/**
 * One server a {@link HeartbeatClient} may connect to: a host name or address and a TCP port.
 * With TLS, {@code host} is also the name the server's certificate is verified against and, when
 * it is a DNS name, the SNI name sent (unless {@link ClientTlsOptions#setSniServerName} says
 * otherwise). Immutable.
 *
 * @param host host name or address; not empty
 * @param port TCP port, 1..65535
 */
public record ServerAddress(String host, int port) {

  /**
   * @throws IllegalArgumentException if the host is empty or the port outside 1..65535
   */
  public ServerAddress {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty, was \"" + host + "\"");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be in 1..65535, was " + port);
    }
  }

  /**
   * Reads {@code {"host": "...", "port": N}}.
   *
   * @throws IllegalArgumentException naming the field when one is missing or of the wrong type
   */
  public static ServerAddress fromJson(JsonObject json) {
    Object host = json.getValue("host");
    Object port = json.getValue("port");
    if (!(host instanceof String)) {
      throw new IllegalArgumentException("server host must be a string, was " + host + " in "
          + json.encode());
    }
    if (!(port instanceof Number) || ((Number) port).doubleValue() != ((Number) port).intValue()) {
      throw new IllegalArgumentException("server port must be an integer, was " + port + " in "
          + json.encode());
    }
    return new ServerAddress((String) host, ((Number) port).intValue());
  }

  /** {@code {"host": "...", "port": N}}. */
  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port);
  }

  /** {@code host:port}, with brackets around an IPv6 address. */
  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
