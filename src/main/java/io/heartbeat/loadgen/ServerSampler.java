package io.heartbeat.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a server process's CPU time ({@code utime+stime} of /proc/PID/stat) and memory
 * ({@code VmRSS}, {@code VmHWM} of /proc/PID/status). Linux only; a missing process reads as
 * null values.
 */
final class ServerSampler {

  /** One reading; fields are null when the process is gone. */
  record Sample(Long cpuMs, Long rssKib, Long hwmKib) {
  }

  /** Kernel clock ticks per second for /proc times; 100 on every mainstream Linux build. */
  private static final long CLK_TCK = 100;

  private final long pid;

  ServerSampler(long pid) {
    this.pid = pid;
  }

  boolean alive() {
    return Files.isDirectory(Path.of("/proc", Long.toString(pid)));
  }

  Sample sample() {
    return new Sample(cpuMs(), statusKib("VmRSS:"), statusKib("VmHWM:"));
  }

  private Long cpuMs() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name (which may hold spaces) start with the state, field 3.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks * 1000 / CLK_TCK;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private Long statusKib(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }
}
