package io.heartbeat.server;

import io.heartbeat.config.HeartbeatConfig;

/**
 * The run-time switches every {@link ConnectionCore} of one I/O instance follows, read on each
 * frame: plain fields, replaced in place on the instance's event loop when the settings change.
 */
final class CorePolicy {

  boolean ackHeartbeats;
  boolean dataCountsAsActivity;
  boolean logHeartbeats;

  CorePolicy(HeartbeatConfig config) {
    apply(config);
  }

  void apply(HeartbeatConfig config) {
    ackHeartbeats = config.ackHeartbeats();
    dataCountsAsActivity = config.dataCountsAsActivity();
    logHeartbeats = config.logHeartbeats();
  }
}
