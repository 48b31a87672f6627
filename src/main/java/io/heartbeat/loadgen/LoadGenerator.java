package io.heartbeat.loadgen;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * Load generator for the Heartbeat protocol: opens N loopback connections at a given rate,
 * heartbeats each at a fixed interval with phases spread evenly, measures ack round trips
 * open-loop and can freeze a fraction of the connections to measure detection.
 *
 * <p>Run {@code java -cp heartbeat.jar io.heartbeat.loadgen.LoadGenerator --help} (or
 * {@code scripts/loadgen}) for the options. Only loopback targets are accepted, and every run is
 * bounded in connections and seconds. Progress lines go to stderr; stdout gets a table and, as
 * its last line, one JSON object. Exit codes: 0 done, 2 bad command line, 1 failure.
 */
public final class LoadGenerator {

  private LoadGenerator() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one load and prints its summary; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
      out.println(LoadSettings.USAGE);
      return args.length == 0 ? 2 : 0;
    }
    LoadSettings settings;
    try {
      settings = LoadSettings.parse(args);
      checkFileLimit(settings.conns);
    } catch (IllegalArgumentException e) {
      err.println("loadgen: " + e.getMessage());
      return 2;
    }
    // One event loop: every connection, timer and counter lives on it, so nothing is shared.
    Vertx vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)
        .setEventLoopPoolSize(1)).build();
    try {
      SessionTokens tokens = settings.jwtSecretFile == null ? null
          : SessionTokens.sign(vertx, settings);
      LoadRun run = new LoadRun(vertx, settings, tokens, err);
      err.printf("loadgen: %d connections to %s:%d from %d source address(es), %d conn/s,"
          + " heartbeat every %d ms, %d s%s%n", settings.conns, settings.host, settings.port,
          settings.srcIps, settings.connectRate, settings.intervalMs, settings.durationS,
          settings.freezeFraction > 0 ? String.format(", freeze %.0f%% at %.1f s",
              settings.freezeFraction * 100, settings.freezeAtS) : "");
      if (settings.sessions()) {
        err.printf("loadgen: sessions: HELLO for client ids %s0..%s%d asking %d ms, %s%n",
            settings.clientIdPrefix, settings.clientIdPrefix, settings.conns - 1,
            settings.intervalMs, tokens == null ? "no token" : "HS256 JWT each");
      }
      LoadStats stats = startOnLoop(vertx, run).await(settings.durationS + 120L, TimeUnit.SECONDS);
      out.print(stats.table());
      out.println(stats.json());
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("loadgen: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      err.println("loadgen: failed: " + e);
      return 1;
    } finally {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        err.println("loadgen: close: " + e);
      }
    }
  }

  private static Future<LoadStats> startOnLoop(Vertx vertx, LoadRun run) {
    Promise<LoadStats> result = Promise.promise();
    vertx.runOnContext(v -> run.start().onComplete(result));
    return result.future();
  }

  /** Refuses a load that cannot fit in this process's open-file limit. */
  private static void checkFileLimit(int conns) {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      long limit = unix.getMaxFileDescriptorCount();
      long needed = conns + 100L;
      if (needed > limit) {
        throw new IllegalArgumentException("--conns " + conns + " needs about " + needed
            + " open files but this process may open " + limit + "; run several processes");
      }
    }
  }
}
