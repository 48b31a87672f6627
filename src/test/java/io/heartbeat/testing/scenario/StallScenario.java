package io.heartbeat.testing.scenario;

import static io.heartbeat.testing.scenario.Scenarios.await;

import io.heartbeat.testing.ServiceProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The service process stopped with SIGSTOP for {@code stallMs} (a GC pause, VM steal) while
 * {@code healthy} peers keep heartbeating every half tick into their sockets, and
 * {@code victims} peers fell silent one tick before the stop. README's own-stall rule, both
 * halves: no healthy peer is closed, and a peer that really died is still closed, no earlier
 * than the window after its last frame and at most one tick later than without the stall, not
 * counting the stall itself (the stall the service reports widens the upper bound by its length
 * and one tick, see {@link VerdictWindow}). The healthy peers must also be served again: each
 * gets at least two windows' worth of acks after SIGCONT.
 */
public final class StallScenario {

  /** An empty HEARTBEAT_ACK: its 8-byte header. */
  private static final long ACK_BYTES = 8;

  /** The scenario's sizes and timings (see the class comment). */
  public record Params(long tickMs, int maxMissed, int healthy, int victims, long stallMs) {
  }

  private StallScenario() {
  }

  public static Report run(Vertx vertx, Params p) throws Exception {
    Report report = new Report("server stall: SIGSTOP for " + p.stallMs() + " ms with "
        + p.healthy() + " healthy peers heartbeating every half tick and " + p.victims()
        + " silent victims; tick " + p.tickMs() + " ms x " + p.maxMissed());
    try (ServiceProcess server = ServiceProcess.start("stall", Map.of(
        "HEARTBEAT_TICK_MS", String.valueOf(p.tickMs()),
        "HEARTBEAT_MAX_MISSED", String.valueOf(p.maxMissed()),
        "HEARTBEAT_IO_INSTANCES", "2"), List.of())) {
      LoopbackSources healthySources = new LoopbackSources(vertx, "127.0.10.", 1, 10);
      LoopbackSources victimSources = new LoopbackSources(vertx, "127.0.11.", 1, 2);
      try {
        stall(vertx, server, healthySources, victimSources, p, report);
      } finally {
        await(Future.join(healthySources.close(), victimSources.close()));
      }
      report.figure("%s", Victims.stalls(server));
      report.check(server.errors().isEmpty(), "errors in the service's log: %s",
          server.errors());
    }
    return report;
  }

  private static void stall(Vertx vertx, ServiceProcess server, LoopbackSources healthySources,
      LoopbackSources victimSources, Params p, Report report) throws Exception {
    VerdictWindow window = new VerdictWindow(p.tickMs(), p.maxMissed());
    int port = server.port();
    LengthFieldScenario.warmUp(healthySources, port);
    List<Peer> healthy = Scenarios.connectPeers(healthySources, port, p.healthy());
    List<Peer> victims = Scenarios.connectPeers(victimSources, port, p.victims());
    List<Peer> beating = new CopyOnWriteArrayList<>(healthy);
    beating.addAll(victims);
    long beat = vertx.setPeriodic(Math.max(1, p.tickMs() / 2),
        t -> beating.forEach(Peer::heartbeat));
    // Two windows of normal running first: the service's cold paths are behind us.
    Scenarios.pause(2 * window.upperMs());
    beating.removeAll(victims);
    Scenarios.awaitAll(victims.stream().map(Peer::heartbeat).toList());
    Scenarios.pause(p.tickMs());
    server.signal("STOP");
    long stoppedNanos = System.nanoTime();
    long[] bytesAtStop = healthy.stream().mapToLong(Peer::bytesReceived).toArray();
    Scenarios.pause(p.stallMs());
    server.signal("CONT");
    long resumedNanos = System.nanoTime();
    Scenarios.awaitClosed(victims, p.stallMs() + 3 * window.upperMs() + 10_000);
    // Two whole windows after the last victim: any wrong close of a healthy peer lands here.
    Scenarios.pause(2 * window.upperMs());
    vertx.cancelTimer(beat);

    long stalledMs = (resumedNanos - stoppedNanos) / 1_000_000;
    report.figure("stopped for %d ms, %d ms after the victims' last frames", stalledMs,
        (stoppedNanos - victims.get(0).lastFrameNanos()) / 1_000_000);
    Victims.judge("victim", victims, server, window, report);
    Map<String, ServiceProcess.Close> lines = Victims.byPeer(server.closes());
    List<Long> afterResume = new ArrayList<>();
    for (Peer v : victims) {
      ServiceProcess.Close line = lines.get(v.localHost + ":" + v.localPort);
      if (v.isClosed() && line != null) {
        afterResume.add((v.closedNanos() - resumedNanos) / 1_000_000);
        // The rule, on the service's own measure (this side's view also holds the time this
        // JVM took to read the acks the service sent in a burst after the resume): at most
        // one tick later than without the stall, the stall not counted.
        long accounted = line.sinceLastFrameMs() - stalledMs;
        report.check(accounted <= window.upperMs() + p.tickMs(), "victim %s closed %d ms after"
            + " its last frame, %d ms of it outside the %d ms stall: more than the window's"
            + " %d ms and one tick", v, line.sinceLastFrameMs(), accounted, stalledMs,
            window.upperMs());
      }
    }
    report.figure("victims closed after the resume: %s", VerdictWindow.percentiles(afterResume));
    Victims.healthy("healthy, heartbeating through the stall", healthy, server, report);
    // Served again, not just left open: at least two windows of acks after the resume.
    long resumedAcks = Long.MAX_VALUE;
    for (int i = 0; i < healthy.size(); i++) {
      long acks = (healthy.get(i).bytesReceived() - bytesAtStop[i]) / ACK_BYTES;
      resumedAcks = Math.min(resumedAcks, acks);
      report.check(acks >= 2L * p.maxMissed(), "healthy %s got %d acks after SIGCONT, fewer"
          + " than two windows' worth (%d)", healthy.get(i), acks, 2 * p.maxMissed());
    }
    report.figure("acks to each healthy peer since the stop: at least %d", resumedAcks);
    Scenarios.awaitAll(healthy.stream().map(Peer::close).toList());
  }

}
