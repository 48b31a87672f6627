package io.heartbeat.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.CloseCommand;
import io.heartbeat.bus.CloseReply;
import io.heartbeat.bus.ConnectionIds;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.testing.FrameClient;
import io.heartbeat.testing.ServiceSettings;
import io.heartbeat.testing.ServiceTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A heartbeat that races the close decision wins: the monitor's view lags (activity is batched
 * once per tick), so it may propose closing a connection whose last-moment heartbeat the I/O
 * instance has already read; the instance refuses such a close.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class CloseRaceTest extends ServiceTest {

  private static final Logger LOG = LoggerFactory.getLogger(CloseRaceTest.class);
  /** How long before the end of the window each heartbeat goes out. */
  private static final long MARGIN_MS = 10;
  private static final int REPETITIONS = 20;
  private static final int CLIENTS = 4;

  @Test
  void neverClosesAClientThatHeartbeatsAtTheLastMomentOfTheWindow(Vertx vertx,
      VertxTestContext ctx) {
    // Each client sends its next heartbeat maxMissed x tick - MARGIN_MS after its previous
    // one. The period is not a multiple of the tick, so over the repetitions each heartbeat
    // lands at every phase of the monitor's sweep. The server may only close a client whose own
    // timer ran late, so that it really was silent for a window: such a client does not count.
    long periodMs = window.lowerMs() - MARGIN_MS;
    AtomicInteger closeProposals = countCloseProposals(vertx);
    AtomicInteger survivors = new AtomicInteger();
    AtomicInteger lateClients = new AtomicInteger();
    Checkpoint allFinished = ctx.checkpoint();
    Runnable finished = () -> {
      if (survivors.get() + lateClients.get() == CLIENTS) {
        LOG.info("{} clients heartbeat {} times, {} ms apart, and stayed open; {} ran late;"
            + " close proposals refused meanwhile: {}", survivors, REPETITIONS, periodMs,
            lateClients, closeProposals.get());
        ctx.verify(() -> {
          assertTrue(survivors.get() >= 1,
              "every client's own timer ran late; the machine is too loaded to judge");
          assertTrue(closeProposals.get() >= 1, "the monitor never proposed a close that raced"
              + " a heartbeat: this test exercised nothing");
        });
        allFinished.flag();
      }
    };
    for (int i = 0; i < CLIENTS; i++) {
      long startDelayMs = 1 + i * config.tickMs() / CLIENTS;
      FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client ->
          events.idOf(client).onComplete(ctx.succeeding(id -> vertx.setTimer(startDelayMs, t -> {
            List<Long> sends = new CopyOnWriteArrayList<>();
            AtomicBoolean survived = new AtomicBoolean();
            heartbeatAtTheLastMoment(vertx, client, sends, periodMs);
            client.frames().at(REPETITIONS - 1).onComplete(ctx.succeeding(lastAck -> {
              if (!client.isClosed() && !events.hasClosed(id)) {
                survived.set(true);
                survivors.incrementAndGet();
                finished.run();
              }
            }));
            client.closed().onComplete(ctx.succeeding(closedNanos -> {
              if (survived.get()) {
                return;
              }
              long longestSilence = longestSilence(sends, closedNanos);
              ctx.verify(() -> assertTrue(longestSilence >= window.lowerMs() * 1_000_000L,
                  "closed although its longest silence was " + longestSilence / 1_000_000
                      + " ms, below maxMissed x tick = " + window.lowerMs() + " ms; sends "
                      + sends.size()));
              lateClients.incrementAndGet();
              finished.run();
            }));
          })))));
    }
  }

  @Test
  @ServiceSettings({"tickMs=1000", "detectionEnabled=false"})
  void refusesACloseBatchForAConnectionThatJustSentAFrame(Vertx vertx, VertxTestContext ctx) {
    // Detection is off, so the only close command is the one this test sends, as the monitor
    // would; the 3 s window is far longer than the exchange.
    Checkpoint refusedAndStillOpen = ctx.checkpoint();
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client ->
        events.idOf(client).onComplete(ctx.succeeding(id -> {
          long unknown = ConnectionIds.id(ConnectionIds.ioKeyOf(id), 999_999);
          client.heartbeat();
          client.frames().at(0)
              .compose(ack -> vertx.eventBus().<Buffer>request(
                  Addresses.ioClose(ConnectionIds.ioKeyOf(id)),
                  CloseCommand.of(List.of(id, unknown)).toBuffer()))
              .onComplete(ctx.succeeding(reply -> {
                CloseReply body = CloseReply.fromBuffer(reply.body());
                ctx.verify(() -> {
                  assertArrayEquals(new long[0], body.closed());
                  assertArrayEquals(new long[] {unknown}, body.unknown());
                  assertArrayEquals(new long[] {id}, body.refused());
                  long idleMs = body.refusedIdleMs()[0];
                  assertTrue(idleMs >= 0 && idleMs < window.lowerMs(), "idleMs " + idleMs);
                });
                client.heartbeat();
                client.frames().at(1).onComplete(ctx.succeeding(ack -> ctx.verify(() -> {
                  assertEquals(FrameType.HEARTBEAT_ACK, ack.type(), "still open and served");
                  assertFalse(client.isClosed());
                  assertFalse(events.hasClosed(id));
                  refusedAndStillOpen.flag();
                })));
              }));
        }))));
  }

  /** Sends a heartbeat now and each next one {@code periodMs} after the previous one. */
  private static void heartbeatAtTheLastMoment(Vertx vertx, FrameClient client, List<Long> sends,
      long periodMs) {
    if (client.isClosed() || sends.size() == REPETITIONS) {
      return;
    }
    client.heartbeat();
    long sentNanos = client.lastFrameSentNanos();
    sends.add(sentNanos);
    long spentMs = (System.nanoTime() - sentNanos) / 1_000_000;
    vertx.setTimer(Math.max(1, periodMs - spentMs),
        t -> heartbeatAtTheLastMoment(vertx, client, sends, periodMs));
  }

  /** The longest interval between consecutive sends, or from the last send to the close. */
  private static long longestSilence(List<Long> sends, long closedNanos) {
    long longest = 0;
    for (int i = 1; i < sends.size(); i++) {
      longest = Math.max(longest, sends.get(i) - sends.get(i - 1));
    }
    return sends.isEmpty() ? Long.MAX_VALUE
        : Math.max(longest, closedNanos - sends.get(sends.size() - 1));
  }

  /** Counts the connections the monitor proposes to close, one per id per proposal. */
  private static AtomicInteger countCloseProposals(Vertx vertx) {
    AtomicInteger proposals = new AtomicInteger();
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      if (delivery.message().address().endsWith(".close")
          && delivery.message().body() instanceof Buffer batch) {
        proposals.addAndGet(CloseCommand.fromBuffer(batch).ids().length);
      }
      delivery.next();
    });
    return proposals;
  }
}
