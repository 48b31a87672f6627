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
   * Descriptors for the process's own files besides its event loops: jars, standard streams,
   * listening sockets, admin connections, Hazelcast's selectors and member links.
   */
  static final long OWN_FILES_BASE = 100;
  /** Descriptors per event loop (epoll, eventfd and timerfd under native epoll). */
  static final long FILES_PER_EVENT_LOOP = 3;

  private OpenFilesLimit() {
  }

  /**
   * Descriptors the process needs besides its connections, with Vert.x's default of two event
   * loops per core plus the acceptor: an idle single-node service held 27 on 2 cores
   * (/proc/PID/fd), this allows 115.
   */
  public static long ownFiles(int cores) {
    return OWN_FILES_BASE + FILES_PER_EVENT_LOOP * (2L * cores + 1);
  }

  /**
   * The warning to log, or empty when the limit is high enough, unknown (below 1) or
   * maxConnections is 0 (no limit of its own).
   *
   * @param limit the open-files limit of the process
   * @param maxConnections the maxConnections setting
   * @param ownFiles descriptors the process needs besides connections ({@link #ownFiles})
   */
  public static Optional<String> warning(long limit, int maxConnections, long ownFiles) {
    long needed = maxConnections + ownFiles;
    if (limit < 1 || maxConnections == 0 || limit >= needed) {
      return Optional.empty();
    }
    long reachable = Math.max(0, limit - ownFiles);
    return Optional.of("Open-files limit " + limit + " is below maxConnections " + maxConnections
        + " + " + ownFiles + " for the process's own files: connections beyond about "
        + reachable + " cannot be accepted. Raise the limit to at least " + needed
        + " (ulimit -n " + needed + " before starting, or LimitNOFILE=" + needed
        + " in the systemd unit)" + (reachable > 0 ? " or set maxConnections to " + reachable
        + " or less." : "."));
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
