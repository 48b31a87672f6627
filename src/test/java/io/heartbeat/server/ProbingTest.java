package io.heartbeat.server;

import static io.heartbeat.testing.FrameClient.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.testing.FrameClient;
import io.heartbeat.testing.FrameClient.Frame;
import io.heartbeat.testing.ServiceSettings;
import io.heartbeat.testing.ServiceTest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Server probing: a silent connection gets server HEARTBEATs; answering them with
 * HEARTBEAT_ACK keeps it open, ignoring them gets it closed in the window.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
@ServiceSettings({"probeEnabled=true", "probeAfterMissed=1", "maxMissed=3"})
class ProbingTest extends ServiceTest {

  private static final Frame PROBE = new Frame(FrameType.HEARTBEAT, new byte[0]);
  private static final Frame EMPTY_ACK = new Frame(FrameType.HEARTBEAT_ACK, new byte[0]);

  @Test
  void probesASilentClientAndClosesItInTheWindowWhenItIgnoresTheProbes(Vertx vertx,
      VertxTestContext ctx) {
    Checkpoint closedInWindow = ctx.checkpoint();
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client ->
        events.idOf(client).onComplete(ctx.succeeding(id -> {
          client.heartbeat();
          Future.all(client.closed(), events.closed(id)).onComplete(ctx.succeeding(both ->
              ctx.verify(() -> {
                window.assertClosedInside("the client ignoring probes",
                    client.lastFrameSentNanos(), both.resultAt(0));
                assertEquals(LifecycleEvents.TIMEOUT,
                    both.<JsonObject>resultAt(1).getString("reason"));
                List<Frame> frames = client.frames().snapshot();
                int ack = frames.indexOf(EMPTY_ACK);
                List<Frame> afterAck = frames.subList(ack + 1, frames.size() - 1);
                assertTrue(ack >= 0, "its heartbeat was acked: " + frames);
                assertEquals(new Frame(FrameType.GOODBYE, utf8("timeout")),
                    frames.get(frames.size() - 1));
                assertFalse(afterAck.isEmpty(), "probed while silent: " + frames);
                assertTrue(afterAck.stream().allMatch(PROBE::equals),
                    "only empty server HEARTBEATs between the ack and the GOODBYE: " + frames);
                closedInWindow.flag();
              })));
        }))));
  }

  @Test
  void keepsAClientThatAnswersEveryProbeWithAnAckOpen(Vertx vertx, VertxTestContext ctx) {
    // The client never sends anything but HEARTBEAT_ACK replies to probes. After enough probes
    // to span several windows it stops answering: its only close is the timeout of its last ack.
    int answers = 4 * (config.maxMissed() + 1);
    Checkpoint keptOpenThenClosed = ctx.checkpoint();
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client ->
        events.idOf(client).onComplete(ctx.succeeding(id -> {
          AtomicInteger answered = new AtomicInteger();
          client.onFrame(frame -> {
            if (frame.equals(PROBE) && answered.get() < answers) {
              client.send(FrameType.HEARTBEAT_ACK, null);
              if (answered.incrementAndGet() == answers) {
                ctx.verify(() -> {
                  assertFalse(events.hasClosed(id), "closed although it answered every probe");
                  assertFalse(client.isClosed());
                });
              }
            }
          });
          Future.all(client.closed(), events.closed(id)).onComplete(ctx.succeeding(both ->
              ctx.verify(() -> {
                assertEquals(answers, answered.get(), "closed before its last answer");
                window.assertClosedInside("the client that stopped answering",
                    client.lastFrameSentNanos(), both.resultAt(0));
                assertEquals(LifecycleEvents.TIMEOUT,
                    both.<JsonObject>resultAt(1).getString("reason"));
                keptOpenThenClosed.flag();
              })));
        }))));
  }

  @Test
  void neverProbesAClientThatHeartbeatsMoreOftenThanProbeAfterMissedTicks(Vertx vertx,
      VertxTestContext ctx) {
    // Heartbeats every 0.6 tick: the client is never silent for probeAfterMissed (1) tick,
    // unless its own timer runs late, which the check below allows for.
    int beats = 20;
    long periodMs = config.tickMs() * 6 / 10;
    long probeAfterNanos = config.probeAfterMissed() * config.tickMs() * 1_000_000L;
    Checkpoint allAcked = ctx.checkpoint();
    List<Long> sends = new CopyOnWriteArrayList<>();
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client -> {
      AtomicInteger acks = new AtomicInteger();
      client.onFrame(frame -> {
        long now = System.nanoTime();
        if (frame.equals(PROBE)) {
          long longestGap = longestGap(sends, now);
          ctx.verify(() -> assertTrue(longestGap >= probeAfterNanos, "probed although its"
              + " longest silence so far was " + longestGap / 1_000_000 + " ms, less than"
              + " probeAfterMissed x tick = " + probeAfterNanos / 1_000_000 + " ms"));
        } else if (frame.equals(EMPTY_ACK) && acks.incrementAndGet() == beats) {
          allAcked.flag();
        }
      });
      client.sendEvery(periodMs, beats, FrameType.HEARTBEAT, n -> {
        sends.add(System.nanoTime());
        return null;
      });
    }));
  }

  /** The longest interval between consecutive sends, or from the last send to {@code now}. */
  private static long longestGap(List<Long> sends, long now) {
    long longest = 0;
    long previous = sends.isEmpty() ? now : sends.get(0);
    for (long t : sends) {
      longest = Math.max(longest, t - previous);
      previous = t;
    }
    return Math.max(longest, now - previous);
  }
}
