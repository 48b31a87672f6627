package io.heartbeat.server;

import io.heartbeat.config.ConfigException;
import io.heartbeat.config.HeartbeatConfig;

/** Turns a failure to open the client port into one line that says what to change. */
final class ListenError {

  private ListenError() {
  }

  static ConfigException explain(HeartbeatConfig config, Throwable error) {
    String detail = error.getMessage() == null ? error.toString() : error.getMessage();
    String fix = config.tlsEnabled()
        ? " Check tls.certPath, tls.keyPath and tls.clientCaPath, and that the port is free"
            + " (\"port\" in the config file, HEARTBEAT_PORT or -Dheartbeat.port)."
        : " Stop the process using that port or choose another with \"port\" in the config"
            + " file, HEARTBEAT_PORT or -Dheartbeat.port.";
    return new ConfigException("Cannot listen on " + config.host() + ":" + config.port() + ": "
        + detail + "." + fix);
  }
}
