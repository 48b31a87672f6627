package io.heartbeat.testing.scenario;

import static io.heartbeat.testing.scenario.Scenarios.await;
import static io.heartbeat.testing.scenario.Scenarios.bytes;
import static io.heartbeat.testing.scenario.Scenarios.header;
import static io.heartbeat.testing.scenario.Scenarios.mib;

import io.heartbeat.protocol.FrameType;
import io.heartbeat.testing.ServiceProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Memory through the length field (the Mosquitto CVE-2023-0809 class), against the service in
 * its own process. At the same time: {@code legal} peers send a header declaring the maximum
 * payload (64 KiB) and one byte, then half of them trickle one byte every 50 ms and half stop;
 * {@code illegal} peers send a header declaring 2^31-1 bytes. The illegal ones must be closed
 * at once (by the header check, long before any tick) with nothing sent back; the legal ones stay
 * open, and the heap the service holds for them (after a full GC) must stay far below what they
 * declared. Afterwards heap and open files return to the baseline.
 */
public final class LengthFieldScenario {

  /** Counts and pacing; the service runs with its default maxPayloadBytes of 64 KiB. */
  public record Params(int legal, int illegal, long trickleMs) {
  }

  public static final int MAX_PAYLOAD = 65_536;
  /** Heap the service may hold per legal peer, far below the 64 KiB each declared. */
  public static final long HELD_BYTES_PER_PEER_LIMIT = 16 * 1024;
  private static final long TICK_MS = 10_000;
  private static final long TRICKLE_EVERY_MS = 50;

  private LengthFieldScenario() {
  }

  public static Report run(Vertx vertx, Params p) throws Exception {
    Report report = new Report("length field: " + p.legal() + " peers declaring " + MAX_PAYLOAD
        + " bytes (half trickling, half stopped) + " + p.illegal() + " declaring 2^31-1");
    // A 10 s tick and no first-frame timeout: the only thing that may close a peer here is the
    // header check.
    try (ServiceProcess server = ServiceProcess.start("length-field", Map.of(
        "HEARTBEAT_TICK_MS", String.valueOf(TICK_MS), "HEARTBEAT_MAX_MISSED", "5",
        "HEARTBEAT_FIRST_FRAME_TIMEOUT_MS", "0", "HEARTBEAT_IO_INSTANCES", "2",
        "HEARTBEAT_MAX_PAYLOAD_BYTES", String.valueOf(MAX_PAYLOAD)), List.of())) {
      LoopbackSources sources = new LoopbackSources(vertx, "127.0.3.", 1, 20);
      try {
        measure(vertx, server, sources, p, report);
      } finally {
        await(sources.close());
      }
      report.check(server.isAlive(), "the service process died: %s", server.tail());
      report.check(server.errors().isEmpty(), "errors in the service's log: %s",
          server.errors());
    }
    return report;
  }

  private static void measure(Vertx vertx, ServiceProcess server, LoopbackSources sources,
      Params p, Report report) throws Exception {
    int port = server.port();
    warmUp(sources, port);
    server.awaitEmpty(Duration.ofSeconds(30));
    long heapBase = server.heapAfterGc();
    int filesBase = server.openFiles();

    Buffer legalOpening = bytes(header(FrameType.DATA, MAX_PAYLOAD), new byte[1]);
    Buffer illegalOpening = bytes(header(FrameType.DATA, Integer.MAX_VALUE), new byte[16]);
    // Connect everyone first, then send every opening at once: the close latency then
    // measures the service's reaction to the burst, not this JVM's connect queue.
    List<Future<Peer>> legalConnects = new ArrayList<>();
    List<Future<Peer>> illegalConnects = new ArrayList<>();
    for (int i = 0; i < Math.max(p.legal(), p.illegal()); i++) {
      if (i < p.legal()) {
        legalConnects.add(sources.connect(port));
      }
      if (i < p.illegal()) {
        illegalConnects.add(sources.connect(port));
      }
    }
    List<Peer> legal = new ArrayList<>(await(Future.all(legalConnects)).list());
    List<Peer> illegal = new ArrayList<>(await(Future.all(illegalConnects)).list());
    long started = System.nanoTime();
    for (int i = 0; i < Math.max(legal.size(), illegal.size()); i++) {
      if (i < legal.size()) {
        legal.get(i).raw(legalOpening);
      }
      if (i < illegal.size()) {
        illegal.get(i).raw(illegalOpening);
      }
    }
    Buffer drop = Buffer.buffer(new byte[1]);
    long trickle = vertx.setPeriodic(TRICKLE_EVERY_MS, t -> {
      for (int i = 0; i < legal.size(); i += 2) {
        legal.get(i).raw(drop);
      }
    });
    List<Future<Void>> illegalClosed = new ArrayList<>();
    illegal.forEach(peer -> illegalClosed.add(peer.closed()));
    await(Future.all(illegalClosed));
    long allIllegalClosedMs = (System.nanoTime() - started) / 1_000_000;
    Scenarios.pause(p.trickleMs());
    vertx.cancelTimer(trickle);

    long heapHeld = server.heapAfterGc();
    int filesHeld = server.openFiles();
    Map<String, Double> metrics = server.metrics();
    List<Long> closeLatencies = new ArrayList<>();
    long bytesBack = 0;
    for (Peer peer : illegal) {
      closeLatencies.add((peer.closedNanos() - peer.lastWriteNanos()) / 1_000_000);
      bytesBack += peer.bytesReceived();
    }
    long legalClosed = legal.stream().filter(Peer::isClosed).count();
    long held = heapHeld - heapBase;
    report.figure("illegal (2^31-1): %d of %d closed by the header check, all within %d ms of"
            + " the first write (tick is %d ms); write-to-close latency %s", illegal.size(),
        p.illegal(), allIllegalClosedMs, TICK_MS, VerdictWindow.percentiles(closeLatencies));
    report.figure("bytes sent back to illegal peers: %d", bytesBack);
    report.figure("legal peers closed while holding a partial 64 KiB frame: %d of %d",
        legalClosed, p.legal());
    report.figure("heap after GC: baseline %s; holding %d legal peers %s (+%s, %.1f KiB per"
            + " peer; they declared %s in all)", mib(heapBase), p.legal(), mib(heapHeld),
        mib(held), held / 1024.0 / Math.max(1, p.legal()), mib((long) p.legal() * MAX_PAYLOAD));
    report.check(closeLatencies.stream().allMatch(ms -> ms < TICK_MS),
        "an illegal peer was not closed before the first tick: %s",
        VerdictWindow.percentiles(closeLatencies));
    report.check(bytesBack == 0, "%d bytes were sent back to illegal peers", bytesBack);
    report.check(metrics.getOrDefault(
        "heartbeat_protocol_errors_total{reason=\"length-too-large\"}", 0.0) == p.illegal(),
        "protocol errors counted: %s, expected %d", metrics.get(
            "heartbeat_protocol_errors_total{reason=\"length-too-large\"}"), p.illegal());
    report.check(legalClosed == 0, "%d legal peers were closed", legalClosed);
    report.check(metrics.getOrDefault("heartbeat_connections_open", -1.0) == p.legal(),
        "service holds %s connections, expected %d", metrics.get("heartbeat_connections_open"),
        p.legal());
    report.check(held < (long) p.legal() * HELD_BYTES_PER_PEER_LIMIT,
        "heap grew by %s for %d peers: more than %d KiB each", mib(held), p.legal(),
        HELD_BYTES_PER_PEER_LIMIT / 1024);

    List<Future<Void>> closing = new ArrayList<>();
    legal.forEach(peer -> closing.add(peer.close()));
    Scenarios.awaitAll(closing);
    boolean empty = server.awaitEmpty(Duration.ofSeconds(30));
    long heapAfter = server.heapAfterGc();
    int filesAfter = server.openFiles();
    report.figure("service open files: baseline %d, holding %d, after %d", filesBase, filesHeld,
        filesAfter);
    report.figure("heap after GC once every peer left: %s (baseline %s)", mib(heapAfter),
        mib(heapBase));
    report.check(empty, "the service still holds connections after every peer left");
    report.check(filesAfter <= filesBase, "open files %d after, %d before", filesAfter,
        filesBase);
    report.check(heapAfter - heapBase < 2L * 1024 * 1024, "heap %s after, %s before",
        mib(heapAfter), mib(heapBase));
  }

  /** Runs the accept, ack and close paths once so the baseline includes their classes. */
  public static void warmUp(LoopbackSources sources, int port) {
    List<Future<Void>> done = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      done.add(sources.connect(port).compose(peer -> peer.heartbeat().compose(v -> peer.close())));
    }
    Scenarios.awaitAll(done);
  }
}
