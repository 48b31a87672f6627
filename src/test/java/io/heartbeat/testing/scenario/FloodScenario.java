package io.heartbeat.testing.scenario;

import static io.heartbeat.testing.scenario.Scenarios.await;

import io.heartbeat.testing.ServiceProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client sending heartbeats as fast as its socket takes them (32 KiB bursts of 4,096
 * frames, four in flight, reading and dropping the acks) against the service in its own
 * process, while {@code healthy} peers heartbeat every tick and {@code victims} peers fall
 * silent once the flood runs. The victims must be closed inside the window, no healthy peer
 * may be closed, and the flooder, a legal client, stays open.
 */
public final class FloodScenario {

  /** The scenario's sizes and timings (see the class comment). */
  public record Params(long tickMs, int maxMissed, int healthy, int victims) {
  }

  private static final int FRAMES_PER_BURST = 4096;

  private FloodScenario() {
  }

  public static Report run(Vertx vertx, Params p) throws Exception {
    Report report = new Report("flood: one client at full speed, " + p.healthy()
        + " healthy, " + p.victims() + " silent victims; tick " + p.tickMs() + " ms x "
        + p.maxMissed());
    try (ServiceProcess server = ServiceProcess.start("flood", Map.of(
        "HEARTBEAT_TICK_MS", String.valueOf(p.tickMs()),
        "HEARTBEAT_MAX_MISSED", String.valueOf(p.maxMissed()),
        "HEARTBEAT_IO_INSTANCES", "2"), List.of())) {
      LoopbackSources flooderSource = new LoopbackSources(vertx, "127.0.12.", 1, 1);
      LoopbackSources healthySources = new LoopbackSources(vertx, "127.0.13.", 1, 10);
      LoopbackSources victimSources = new LoopbackSources(vertx, "127.0.14.", 1, 10);
      try {
        flood(vertx, server, flooderSource, healthySources, victimSources, p, report);
      } finally {
        await(Future.join(flooderSource.close(), healthySources.close(),
            victimSources.close()));
      }
      report.figure("%s", Victims.stalls(server));
      report.check(server.errors().isEmpty(), "errors in the service's log: %s",
          server.errors());
    }
    return report;
  }

  private static void flood(Vertx vertx, ServiceProcess server, LoopbackSources flooderSource,
      LoopbackSources healthySources, LoopbackSources victimSources, Params p, Report report)
      throws Exception {
    VerdictWindow window = new VerdictWindow(p.tickMs(), p.maxMissed());
    int port = server.port();
    LengthFieldScenario.warmUp(healthySources, port);
    List<Peer> healthy = Scenarios.connectPeers(healthySources, port, p.healthy());
    long beat = vertx.setPeriodic(p.tickMs(), t -> healthy.forEach(Peer::heartbeat));

    Peer flooder = await(flooderSource.connect(port));
    Buffer burst = Buffer.buffer();
    for (int i = 0; i < FRAMES_PER_BURST; i++) {
      burst.appendBuffer(Peer.HEARTBEAT);
    }
    AtomicBoolean flooding = new AtomicBoolean(true);
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      if (flooding.get()) {
        flooder.frame(burst).onSuccess(v -> pump[0].run());
      }
    };
    double heartbeatsBefore = server.metric("heartbeat_heartbeats_received_total");
    long floodStarted = System.nanoTime();
    for (int i = 0; i < 4; i++) {
      pump[0].run();
    }
    // The flood runs a whole window before the victims arrive, and until they are judged.
    Scenarios.pause(window.upperMs());
    List<Peer> victims = Scenarios.connectPeers(victimSources, port, p.victims());
    Scenarios.awaitClosed(victims, 3 * window.upperMs() + 10_000);
    double heartbeatsAfter = server.metric("heartbeat_heartbeats_received_total");
    double seconds = (System.nanoTime() - floodStarted) / 1e9;
    flooding.set(false);
    vertx.cancelTimer(beat);

    report.figure("flood: %.0f heartbeats received per second by the service for %.1f s,"
            + " %.0f ack bytes read back by the flooder; flooder closed by the service: %s",
        (heartbeatsAfter - heartbeatsBefore) / seconds, seconds,
        (double) flooder.bytesReceived(), flooder.closedByServer());
    Victims.judge("victim", victims, server, window, report);
    Victims.healthy("healthy", healthy, server, report);
    report.check(!flooder.closedByServer(), "the flooder, a legal client, was closed");
    List<Future<Void>> closing = new ArrayList<>();
    healthy.forEach(peer -> closing.add(peer.close()));
    closing.add(flooder.close());
    Scenarios.awaitAll(closing);
  }

}
