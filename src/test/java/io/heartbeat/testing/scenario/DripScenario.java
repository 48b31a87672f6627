package io.heartbeat.testing.scenario;

import static io.heartbeat.testing.scenario.Scenarios.await;
import static io.heartbeat.testing.scenario.Scenarios.header;

import io.heartbeat.protocol.FrameType;
import io.heartbeat.testing.ServiceProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Slow drip (slowloris) against the service in its own process. {@code drippers} peers
 * heartbeat, then send a header promising 1,000 bytes and one byte of it every half tick, never
 * completing the frame; their last frame times are spread over one tick. While they drip,
 * {@code references} peers heartbeat once and fall silent, and {@code healthy} peers heartbeat
 * every tick.
 *
 * <p>Checked: every dripper is closed like a silent peer (inside the window after its last
 * complete frame: partial bytes are no sign of life); the references' verdicts stay inside the
 * same window, so the drippers delay them by no more than the one tick of slack (their delays are
 * also compared with references judged before any dripper connected); no healthy peer is
 * closed.
 */
public final class DripScenario {

  /** The scenario's sizes and timings (see the class comment). */
  public record Params(long tickMs, int maxMissed, int drippers, int references,
      int healthy) {
  }

  private DripScenario() {
  }

  public static Report run(Vertx vertx, Params p) throws Exception {
    Report report = new Report("slow drip: " + p.drippers() + " drippers, " + p.references()
        + " silent references, " + p.healthy() + " healthy; tick " + p.tickMs() + " ms x "
        + p.maxMissed());
    try (ServiceProcess server = ServiceProcess.start("drip", Map.of(
        "HEARTBEAT_TICK_MS", String.valueOf(p.tickMs()),
        "HEARTBEAT_MAX_MISSED", String.valueOf(p.maxMissed()),
        "HEARTBEAT_IO_INSTANCES", "2"), List.of())) {
      LoopbackSources healthySources = new LoopbackSources(vertx, "127.0.5.", 1, 10);
      LoopbackSources dripSources = new LoopbackSources(vertx, "127.0.6.", 1, 10);
      LoopbackSources referenceSources = new LoopbackSources(vertx, "127.0.7.", 1, 10);
      try {
        drip(vertx, server, healthySources, dripSources, referenceSources, p, report);
      } finally {
        await(Future.join(healthySources.close(), dripSources.close(),
            referenceSources.close()));
      }
      report.figure("%s", Victims.stalls(server));
      report.check(server.errors().isEmpty(), "errors in the service's log: %s",
          server.errors());
    }
    return report;
  }

  private static void drip(Vertx vertx, ServiceProcess server, LoopbackSources healthySources,
      LoopbackSources dripSources, LoopbackSources referenceSources, Params p, Report report) {
    VerdictWindow window = new VerdictWindow(p.tickMs(), p.maxMissed());
    int port = server.port();
    long limit = 3 * window.upperMs() + 10_000;
    LengthFieldScenario.warmUp(referenceSources, port);

    // References with nothing else going on.
    List<Peer> quietReferences =
        Scenarios.connectPeers(referenceSources, port, p.references());
    Scenarios.awaitClosed(quietReferences, limit);
    List<Long> quiet = Victims.judge("reference, before any dripper", quietReferences, server,
        window, new Report("baseline"));

    List<Peer> healthy = Scenarios.connectPeers(healthySources, port, p.healthy());
    List<Peer> drippers = Scenarios.connectPeers(dripSources, port, p.drippers());
    // Until its turn to drip, a dripper heartbeats like the healthy ones.
    List<Peer> heartbeating = new CopyOnWriteArrayList<>(healthy);
    heartbeating.addAll(drippers);
    List<Peer> dripping = new CopyOnWriteArrayList<>();
    long beat = vertx.setPeriodic(p.tickMs(), t -> heartbeating.forEach(Peer::heartbeat));
    Buffer oneByte = Buffer.buffer(new byte[1]);
    long drip = vertx.setPeriodic(Math.max(1, p.tickMs() / 2),
        t -> dripping.forEach(peer -> peer.raw(oneByte)));
    Buffer promise = Buffer.buffer(header(FrameType.DATA, 1000));
    // Last frames spread over one tick, in ten groups.
    for (int group = 0; group < 10; group++) {
      int g = group;
      vertx.setTimer(1 + g * p.tickMs() / 10, t -> {
        for (int i = g; i < drippers.size(); i += 10) {
          Peer peer = drippers.get(i);
          heartbeating.remove(peer);
          peer.heartbeat().onSuccess(v -> peer.raw(promise).onSuccess(w -> dripping.add(peer)));
        }
      });
    }
    Scenarios.pause(p.tickMs() + p.tickMs() / 2);
    List<Peer> loadedReferences =
        Scenarios.connectPeers(referenceSources, port, p.references());
    Scenarios.awaitClosed(drippers, limit);
    Scenarios.awaitClosed(loadedReferences, limit);
    vertx.cancelTimer(drip);
    vertx.cancelTimer(beat);

    Victims.judge("dripper", drippers, server, window, report);
    List<Long> loaded = Victims.judge("reference, while the drippers drip", loadedReferences,
        server, window, report);
    report.figure("reference delay before any dripper: %s", VerdictWindow.percentiles(quiet));
    report.figure("drip bytes: 1 every %d ms per dripper, %d drippers (%.0f writes per second)",
        p.tickMs() / 2, p.drippers(), p.drippers() * 2000.0 / p.tickMs());
    Victims.healthy("healthy", healthy, server, report);
    long maxQuiet = quiet.stream().mapToLong(Long::longValue).max().orElse(0);
    long maxLoaded = loaded.stream().mapToLong(Long::longValue).max().orElse(0);
    report.figure("longest reference delay: %d ms under drip, %d ms before (difference %d ms,"
        + " one tick is %d ms)", maxLoaded, maxQuiet, maxLoaded - maxQuiet, p.tickMs());
    Scenarios.awaitAll(healthy.stream().map(Peer::close).toList());
  }
}
