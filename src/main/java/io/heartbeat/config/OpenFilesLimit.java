package io.heartbeat.config;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Whether the process's open-files limit lets it hold maxConnections sockets: each connection is
 * one file descriptor, and the process needs some of its own (jars, event-loop epoll and event
 * descriptors, listening sockets, cluster links). The decision is a pure function of the
 * numbers; {@link #processLimit()} reads the limit the JVM runs under.
 */
public final class OpenFilesLimit {

  /**
   * Descriptors kept for the process's own files. An idle service holds about 60 on an 8-core
   * machine (measured with /proc/PID/fd); this leaves room for a cluster and the admin API.
   */
  public static final long OWN_FILES = 200;

  private OpenFilesLimit() {
  }

  /**
   * The warning to log, or empty when the limit is high enough, unknown (below 1) or
   * maxConnections is 0 (no limit of its own).
   *
   * @param limit the open-files limit of the process
   * @param maxConnections the maxConnections setting
   */
  public static Optional<String> warning(long limit, int maxConnections) {
    long needed = maxConnections + OWN_FILES;
    if (limit < 1 || maxConnections == 0 || limit >= needed) {
      return Optional.empty();
    }
    long reachable = Math.max(0, limit - OWN_FILES);
    return Optional.of("Open-files limit " + limit + " is below maxConnections " + maxConnections
        + " + " + OWN_FILES + " for the process's own files: connections beyond about "
        + reachable + " will be refused. Raise the limit to at least " + needed
        + " (ulimit -n " + needed + " before starting, or LimitNOFILE=" + needed
        + " in the systemd unit) or set maxConnections to " + reachable + " or less.");
  }

  /** The JVM's open-files limit (after the JVM raised it to the hard limit), if known. */
  public static OptionalLong processLimit() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return OptionalLong.of(unix.getMaxFileDescriptorCount());
    }
    return OptionalLong.empty();
  }
}
