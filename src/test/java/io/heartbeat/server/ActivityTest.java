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
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What counts as a sign of life: complete HEARTBEATs, complete DATA frames (unless configured
 * otherwise), and nothing less than a complete frame.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
class ActivityTest extends ServiceTest {

  private static final int BEATS = 20;

  @Test
  void keepsConnectionsThatHeartbeatEveryTickOpenOverManyWindows(Vertx vertx,
      VertxTestContext ctx) {
    int clients = 4;
    Checkpoint neverClosedEarly = ctx.checkpoint(clients);
    for (int i = 0; i < clients; i++) {
      FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client ->
          events.idOf(client).onComplete(ctx.succeeding(id -> {
            client.sendEvery(config.tickMs(), BEATS, FrameType.HEARTBEAT, n -> null);
            client.frames().at(BEATS - 1).onComplete(ctx.succeeding(lastAck -> {
              ctx.verify(() -> {
                assertFalse(client.isClosed(), "closed while heartbeating every tick");
                assertFalse(events.hasClosed(id), "closed event while heartbeating every tick");
                assertTrue(client.frames().snapshot().stream()
                    .allMatch(f -> f.type() == FrameType.HEARTBEAT_ACK), "only acks received");
              });
              // Now silent: its only close is the timeout of its last heartbeat.
              expectTimeoutClose(ctx, client, id, client.lastFrameSentNanos(),
                  neverClosedEarly);
            }));
          }))));
    }
  }

  @Test
  void countsDataFramesAsActivityByDefault(Vertx vertx, VertxTestContext ctx) {
    Checkpoint neverClosedEarly = ctx.checkpoint();
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client ->
        events.idOf(client).onComplete(ctx.succeeding(id -> {
          client.sendEvery(config.tickMs(), BEATS, FrameType.DATA, n -> utf8("data-" + n));
          events.data(id).at(BEATS - 1).onComplete(ctx.succeeding(lastData -> {
            ctx.verify(() -> {
              assertFalse(client.isClosed(), "closed while sending DATA every tick");
              assertFalse(events.hasClosed(id), "closed event while sending DATA every tick");
              assertEquals(0, client.bytesReceived(), "DATA frames are not acked");
            });
            expectTimeoutClose(ctx, client, id, client.lastFrameSentNanos(), neverClosedEarly);
          }));
        }))));
  }

  @Test
  @ServiceSettings("dataCountsAsActivity=false")
  void closesAClientSendingOnlyDataWhenDataDoesNotCountAsActivity(Vertx vertx,
      VertxTestContext ctx) {
    Checkpoint closedInWindow = ctx.checkpoint();
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client ->
        events.idOf(client).onComplete(ctx.succeeding(id -> {
          client.heartbeat();
          long heartbeatNanos = client.lastFrameSentNanos();
          vertx.setTimer(config.tickMs() / 2, t -> client.sendEvery(config.tickMs() / 2,
              Integer.MAX_VALUE, FrameType.DATA, n -> utf8("data-" + n)));
          Future.all(client.closed(), events.closed(id)).onComplete(ctx.succeeding(both ->
              ctx.verify(() -> {
                long closedNanos = both.resultAt(0);
                window.assertClosedInside("the client sending only DATA", heartbeatNanos,
                    closedNanos);
                assertEquals(LifecycleEvents.TIMEOUT, both.<JsonObject>resultAt(1)
                    .getString("reason"));
                assertDidNotCount("DATA", client.lastFrameSentNanos(), closedNanos);
                assertTrue(events.data(id).size() >= config.maxMissed(),
                    "DATA is still delivered to the application");
                closedInWindow.flag();
              })));
        }))));
  }

  /**
   * Partial frames, each dripped one byte per interval (in ticks) after a complete heartbeat:
   * none of them ever completes.
   */
  static Stream<Arguments> partialFrames() {
    byte[] heartbeat = FrameClient.frameBytes(ByteOrder.LITTLE_ENDIAN, FrameType.HEARTBEAT, null);
    byte[] data10 = FrameClient.frameBytes(ByteOrder.LITTLE_ENDIAN, FrameType.DATA, new byte[10]);
    byte[] data100 = FrameClient.frameBytes(ByteOrder.LITTLE_ENDIAN, FrameType.DATA,
        new byte[100]);
    return Stream.of(
        Arguments.of("4 header bytes", Arrays.copyOf(heartbeat, 4), 1.0),
        Arguments.of("7 header bytes", Arrays.copyOf(heartbeat, 7), 1.0),
        Arguments.of("a header promising 10 payload bytes, then 5",
            Arrays.copyOf(data10, 8 + 5), 0.5),
        Arguments.of("a header promising 100 payload bytes, then 60",
            Arrays.copyOf(data100, 8 + 60), 0.5));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("partialFrames")
  void neverCountsAPartialFrame(String name, byte[] partial, double intervalTicks, Vertx vertx,
      VertxTestContext ctx) {
    expectPartialInputIgnored(vertx, ctx, partial, (long) (intervalTicks * config.tickMs()));
  }

  @Test
  void countsADrippedFrameFromTheByteThatCompletesIt(Vertx vertx, VertxTestContext ctx) {
    Checkpoint closedInWindow = ctx.checkpoint();
    byte[] heartbeat = FrameClient.frameBytes(ByteOrder.LITTLE_ENDIAN, FrameType.HEARTBEAT, null);
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client ->
        events.idOf(client).onComplete(ctx.succeeding(id -> {
          // A complete heartbeat, then another one in eight bytes, one per quarter tick: that
          // one completes two ticks after its first byte, still inside the first one's window.
          client.heartbeat();
          client.drip(heartbeat, config.tickMs() / 4);
          Future.all(client.frames().at(1), client.closed(), events.closed(id))
              .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
                assertEquals(new Frame(FrameType.HEARTBEAT_ACK, new byte[0]), all.resultAt(0),
                    "the completed heartbeat is acked");
                window.assertClosedInside("the client whose frame completed last",
                    client.lastRawByteSentNanos(), all.resultAt(1));
                assertEquals(LifecycleEvents.TIMEOUT, all.<JsonObject>resultAt(2)
                    .getString("reason"));
                closedInWindow.flag();
              })));
        }))));
  }

  /**
   * A client sends one heartbeat, then drips {@code partial} one byte per {@code intervalMs}:
   * it must be closed in the window of the heartbeat, while still dripping.
   */
  private void expectPartialInputIgnored(Vertx vertx, VertxTestContext ctx, byte[] partial,
      long intervalMs) {
    Checkpoint closedInWindow = ctx.checkpoint();
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client ->
        events.idOf(client).onComplete(ctx.succeeding(id -> {
          client.heartbeat();
          client.drip(partial, intervalMs);
          Future.all(client.closed(), events.closed(id)).onComplete(ctx.succeeding(both ->
              ctx.verify(() -> {
                long closedNanos = both.resultAt(0);
                window.assertClosedInside("the client dripping a partial frame",
                    client.lastFrameSentNanos(), closedNanos);
                assertEquals(LifecycleEvents.TIMEOUT, both.<JsonObject>resultAt(1)
                    .getString("reason"));
                assertDidNotCount("a partial frame's byte", client.lastRawByteSentNanos(),
                    closedNanos);
                closedInWindow.flag();
              })));
        }))));
  }

  /**
   * Had what was sent at {@code sentNanos} counted as life, the server could not have closed
   * before {@code sentNanos} + maxMissed x tick.
   */
  private void assertDidNotCount(String what, long sentNanos, long closedNanos) {
    long gapNanos = closedNanos - sentNanos;
    long limitMs = window.lowerMs() + window.stallAllowanceMs(sentNanos, closedNanos);
    assertTrue(sentNanos != 0 && gapNanos < limitMs * 1_000_000L, "closed "
        + gapNanos / 1_000_000 + " ms after " + what + " was sent: it must not count as life");
  }

  private void expectTimeoutClose(VertxTestContext ctx, FrameClient client, long id,
      long lastFrameNanos, Checkpoint done) {
    Future.all(client.closed(), events.closed(id)).onComplete(ctx.succeeding(both ->
        ctx.verify(() -> {
          CompositeFuture closes = both;
          window.assertClosedInside("the client", lastFrameNanos, closes.resultAt(0));
          assertEquals(LifecycleEvents.TIMEOUT, closes.<JsonObject>resultAt(1)
              .getString("reason"));
          done.flag();
        })));
  }
}
