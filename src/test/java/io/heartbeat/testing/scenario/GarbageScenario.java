package io.heartbeat.testing.scenario;

import static io.heartbeat.testing.scenario.Scenarios.await;

import io.heartbeat.testing.ServiceProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * End-to-end garbage against the service in its own process: {@code connections} connections,
 * {@code lanes} at a time, each carrying one {@link GarbageStreams} opening. Every illegal stream
 * must be closed by the service with nothing sent back for it (at most the acks of complete
 * heartbeats before it); every legal one must get exactly its acks and stay open until the peer
 * leaves. Afterwards: the process is alive with no ERROR or stack trace in its log, it counted
 * one protocol error per illegal stream, its open files are back to the baseline and a good
 * client is still served.
 */
public final class GarbageScenario {

  /** The scenario's sizes and timings (see the class comment). */
  public record Params(int connections, int lanes, long seed) {
  }

  public static final int MAX_PAYLOAD = 65_536;
  /** How long an illegal stream may stay open, or a legal one wait for its acks. */
  private static final long VERDICT_TIMEOUT_MS = 10_000;

  private GarbageScenario() {
  }

  public static Report run(Vertx vertx, Params p) throws Exception {
    Report report = new Report("garbage: " + p.connections() + " connections, "
        + GarbageStreams.CATEGORIES.size() + " kinds of opening, seed " + p.seed());
    try (ServiceProcess server = ServiceProcess.start("garbage", Map.of(
        "HEARTBEAT_TICK_MS", "1000", "HEARTBEAT_MAX_MISSED", "5", "HEARTBEAT_IO_INSTANCES", "2",
        "HEARTBEAT_MAX_PAYLOAD_BYTES", String.valueOf(MAX_PAYLOAD)), List.of())) {
      LoopbackSources sources = new LoopbackSources(vertx, "127.0.4.", 1, 50);
      try {
        storm(vertx, server, sources, p, report);
      } finally {
        await(sources.close());
      }
    }
    return report;
  }

  private static void storm(Vertx vertx, ServiceProcess server, LoopbackSources sources,
      Params p, Report report) throws Exception {
    int port = server.port();
    LengthFieldScenario.warmUp(sources, port);
    server.awaitEmpty(Duration.ofSeconds(30));
    int filesBase = server.openFiles();
    double protocolErrorsBase = protocolErrors(server.metrics());

    GarbageStreams streams = new GarbageStreams(MAX_PAYLOAD);
    Random random = new Random(p.seed());
    AtomicLong next = new AtomicLong();
    LongAdder illegal = new LongAdder();
    LongAdder closedByService = new LongAdder();
    LongAdder bytesBackToIllegal = new LongAdder();
    LongAdder connectFailures = new LongAdder();
    Map<String, LongAdder> perCategory = new ConcurrentHashMap<>();
    long started = System.nanoTime();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < p.lanes(); lane++) {
      lanes.add(lane(() -> {
        long n = next.getAndIncrement();
        if (n >= p.connections()) {
          return null;
        }
        GarbageStreams.Stream stream;
        synchronized (random) {
          stream = streams.make((int) n, random);
        }
        perCategory.computeIfAbsent(stream.category(), c -> new LongAdder()).increment();
        if (stream.illegal()) {
          illegal.increment();
        }
        return sources.connect(port)
            .compose(peer -> write(peer, stream.chunks(), 0).transform(ar -> judge(peer, stream,
                report, closedByService, bytesBackToIllegal)))
            .recover(e -> {
              connectFailures.increment();
              report.violation("%s: %s", stream.category(), e);
              return Future.succeededFuture();
            });
      }));
    }
    Scenarios.awaitAll(lanes);
    double seconds = (System.nanoTime() - started) / 1e9;

    // A good client afterwards: connect, heartbeat, get the 8-byte ack.
    Peer good = await(sources.connect(port));
    boolean served = good.heartbeat().compose(v -> good.receivedAtLeast(8))
        .timeout(VERDICT_TIMEOUT_MS, TimeUnit.MILLISECONDS).transform(ar -> {
          good.close();
          return Future.succeededFuture(ar.succeeded());
        }).await();
    boolean empty = server.awaitEmpty(Duration.ofSeconds(60));
    int filesAfter = server.openFiles();
    double protocolErrors = protocolErrors(server.metrics()) - protocolErrorsBase;

    report.figure("%d connections in %.1f s (%.0f per second, %d at a time); per kind: %s",
        p.connections(), seconds, p.connections() / seconds, p.lanes(), perCategory);
    report.figure("illegal streams %d: closed by the service %d, protocol errors counted %.0f,"
        + " bytes sent back beyond acks of earlier heartbeats %d", illegal.sum(),
        closedByService.sum(), protocolErrors, bytesBackToIllegal.sum());
    report.figure("connect failures %d; service alive %s; ERROR or stack-trace lines %d; a good"
        + " client served afterwards: %s", connectFailures.sum(), server.isAlive(),
        server.errors().size(), served);
    report.figure("service open files: baseline %d, after %d", filesBase, filesAfter);
    report.check(server.isAlive(), "the service process died: %s", server.tail());
    report.check(server.errors().isEmpty(), "errors in the service's log: %s", server.errors());
    report.check(closedByService.sum() == illegal.sum(), "%d illegal streams but %d closed",
        illegal.sum(), closedByService.sum());
    report.check(protocolErrors == illegal.sum(), "%.0f protocol errors counted for %d illegal"
        + " streams", protocolErrors, illegal.sum());
    report.check(bytesBackToIllegal.sum() == 0, "bytes sent back for illegal input");
    report.check(served, "a good client was not served afterwards");
    report.check(empty, "the service still holds connections at the end");
    report.check(filesAfter <= filesBase, "open files %d after, %d before", filesAfter,
        filesBase);
  }

  /** Runs {@code step} again and again until it returns null; each returns the next future. */
  private static Future<Void> lane(java.util.function.Supplier<Future<Void>> step) {
    Future<Void> one = step.get();
    return one == null ? Future.succeededFuture() : one.compose(v -> lane(step));
  }

  private static Future<Void> write(Peer peer, List<byte[]> chunks, int i) {
    if (i == chunks.size()) {
      return Future.succeededFuture();
    }
    return peer.raw(Buffer.buffer(chunks.get(i))).compose(v -> write(peer, chunks, i + 1));
  }

  /**
   * Illegal: the service must close; what came back must be at most the acks of the complete
   * heartbeats before the illegal header, and nothing at all when that header came first.
   * Legal: exactly the acks, no close, then this side leaves.
   */
  private static Future<Void> judge(Peer peer, GarbageStreams.Stream stream, Report report,
      LongAdder closedByService, LongAdder bytesBackToIllegal) {
    long acks = 8L * stream.heartbeats();
    if (stream.illegal()) {
      return peer.closed().timeout(VERDICT_TIMEOUT_MS, TimeUnit.MILLISECONDS).transform(ar -> {
        if (ar.failed()) {
          report.violation("%s from %s: illegal stream still open after %d ms",
              stream.category(), peer, VERDICT_TIMEOUT_MS);
          return peer.close();
        }
        closedByService.increment();
        long back = peer.bytesReceived();
        if (back > acks || back % 8 != 0) {
          bytesBackToIllegal.add(Math.max(back - acks, 1));
          report.violation("%s: %d bytes came back, at most %d (acks) allowed",
              stream.category(), back, acks);
        }
        return Future.succeededFuture();
      });
    }
    return peer.receivedAtLeast(acks).timeout(VERDICT_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .transform(ar -> {
          if (ar.failed()) {
            report.violation("%s: %d of %d ack bytes in %d ms", stream.category(),
                peer.bytesReceived(), acks, VERDICT_TIMEOUT_MS);
          } else if (peer.isClosed()) {
            report.violation("%s: legal stream closed by the service", stream.category());
          }
          return peer.close().recover(e -> Future.succeededFuture());
        });
  }

  private static double protocolErrors(Map<String, Double> metrics) {
    return metrics.entrySet().stream()
        .filter(e -> e.getKey().startsWith("heartbeat_protocol_errors_total"))
        .mapToDouble(Map.Entry::getValue).sum();
  }
}
