package io.heartbeat.server;

import static io.heartbeat.testing.scenario.Scenarios.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.testing.ServiceProcess;
import io.heartbeat.testing.scenario.LengthFieldScenario;
import io.heartbeat.testing.scenario.LoopbackSources;
import io.heartbeat.testing.scenario.Peer;
import io.heartbeat.testing.scenario.Report;
import io.heartbeat.testing.scenario.Scenarios;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reproduces a retention found by the churn measurements: {@code IoVerticle} keeps every
 * accepted connection in its first-frame queue ({@code awaitingFirstFrame}, accept order) and
 * drops entries only from the head, on its tick. One connection that never completes a frame
 * at the head keeps every connection accepted after it referenced, open or long closed, until
 * the head leaves: up to {@code firstFrameTimeoutMs} (or the liveness window, if shorter) of
 * accepts, whatever {@code maxConnections} says. Measured with this test enabled: 5,000
 * closed connections behind one unframed peer held 11.4 MiB of heap after GC (about 2.3 KiB
 * each) before the queue was changed to hold ids only; it now holds no closed connection.
 */
@Tag("service-process")
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class FirstFrameQueueRetentionTest {

  @Test
  void closedConnectionsAreNotHeldBehindAnUnframedOne(Vertx vertx, VertxTestContext ctx) {
    Scenarios.runAsync("first-frame-retention", () -> {
      Report report = new Report("first-frame queue retention");
      try (ServiceProcess server = ServiceProcess.start("first-frame-retention", Map.of(
          "HEARTBEAT_TICK_MS", "1000", "HEARTBEAT_MAX_MISSED", "60",
          "HEARTBEAT_FIRST_FRAME_TIMEOUT_MS", "60000", "HEARTBEAT_IO_INSTANCES", "1"),
          List.of())) {
        LoopbackSources sources = new LoopbackSources(vertx, "127.0.15.", 1, 10);
        LengthFieldScenario.warmUp(sources, server.port());
        server.awaitEmpty(Duration.ofSeconds(30));
        Scenarios.pause(3_000);
        long heapBase = server.heapAfterGc();
        Peer unframed = await(sources.connect(server.port()));
        List<Future<Void>> done = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
          done.add(sources.connect(server.port()).compose(peer -> peer.heartbeat()
              .compose(v -> peer.receivedAtLeast(8)).eventually(peer::close)));
        }
        Scenarios.awaitAll(done);
        boolean settled = server.awaitOpen(1, Duration.ofSeconds(30));
        Scenarios.pause(3_000);
        long held = server.heapAfterGc() - heapBase;
        report.figure("heap after GC held for 5,000 closed connections behind one unframed"
            + " peer: %s", Scenarios.mib(held));
        report.check(settled, "the service did not get down to the one unframed connection");
        report.check(held < 1024 * 1024, "closed connections still held: %s",
            Scenarios.mib(held));
        await(unframed.close());
        await(sources.close());
      }
      return report;
    }).onComplete(ctx.succeeding(report -> ctx.verify(() -> {
      assertTrue(report.passed(), report.toString());
      ctx.completeNow();
    })));
  }
}
