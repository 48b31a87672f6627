package io.heartbeat.server;

import static io.heartbeat.testing.FrameClient.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A connection that falls silent is closed inside the protocol's window, measured from the last
 * frame its client sent, after a GOODBYE "timeout"; with detection off it is never closed.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
class SilentConnectionTimeoutTest extends ServiceTest {

  private static final Frame EMPTY_ACK = new Frame(FrameType.HEARTBEAT_ACK, new byte[0]);
  private static final Frame GOODBYE_TIMEOUT = new Frame(FrameType.GOODBYE, utf8("timeout"));

  @Test
  void closesSilentConnectionInsideTheWindowAfterGoodbyeTimeout(Vertx vertx,
      VertxTestContext ctx) {
    Checkpoint closedInWindow = ctx.checkpoint();
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client -> {
      client.heartbeat();
      events.idOf(client)
          .compose(id -> Future.all(client.closed(), events.closed(id)))
          .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
            assertTimeoutClose(client, client.lastFrameSentNanos(), both);
            assertEquals(List.of(EMPTY_ACK, GOODBYE_TIMEOUT), client.frames().snapshot(),
                "the ack of its heartbeat, then GOODBYE \"timeout\" before the close");
            closedInWindow.flag();
          })));
    }));
  }

  @Test
  void closesConnectionThatNeverSentAFrameInsideTheWindowOfItsAccept(Vertx vertx,
      VertxTestContext ctx) {
    Checkpoint closedInWindow = ctx.checkpoint();
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client ->
        events.idOf(client)
            .compose(id -> Future.all(client.closed(), events.closed(id)))
            .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
              // The server starts the window at accept, which is not before the client's connect
              // completed: measuring from the connect can only make the close look later.
              assertTimeoutClose(client, client.connectedNanos(), both);
              assertEquals(List.of(GOODBYE_TIMEOUT), client.frames().snapshot());
              closedInWindow.flag();
            })))));
  }

  @Test
  void closesEachSilentConnectionInItsOwnWindow(Vertx vertx, VertxTestContext ctx) {
    int clients = 4;
    Checkpoint closedInWindow = ctx.checkpoint(clients);
    for (int i = 0; i < clients; i++) {
      long staggerMs = 10 + i * config.tickMs() / 2;
      FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client -> {
        vertx.setTimer(staggerMs, t -> client.heartbeat());
        events.idOf(client)
            .compose(id -> Future.all(client.closed(), events.closed(id)))
            .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
              assertTimeoutClose(client, client.lastFrameSentNanos(), both);
              closedInWindow.flag();
            })));
      }));
    }
  }

  @Test
  @ServiceSettings("detectionEnabled=false")
  void keepsSilentConnectionsOpenWhenDetectionIsDisabled(Vertx vertx, VertxTestContext ctx) {
    int clients = 2;
    // Four whole windows, slack included: a timer-bounded wait is the only way to show that
    // something does not happen.
    long waitMs = 4 * window.upperMs();
    Checkpoint stillOpen = ctx.checkpoint(clients);
    for (int i = 0; i < clients; i++) {
      FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client ->
          events.idOf(client).onComplete(ctx.succeeding(id ->
              vertx.setTimer(waitMs, t -> {
                ctx.verify(() -> {
                  assertFalse(client.isClosed(), "closed although detection is off");
                  assertFalse(events.hasClosed(id), "closed event although detection is off");
                  assertEquals(0, client.bytesReceived(), "nothing is sent to a silent client");
                });
                client.heartbeat();
                client.frames().at(0).onComplete(ctx.succeeding(ack -> ctx.verify(() -> {
                  assertEquals(EMPTY_ACK, ack, "the connection still works");
                  stillOpen.flag();
                })));
              })))));
    }
  }

  private void assertTimeoutClose(FrameClient client, long lastFrameNanos, CompositeFuture both) {
    long closedNanos = both.resultAt(0);
    JsonObject event = both.resultAt(1);
    window.assertClosedInside("the silent connection", lastFrameNanos, closedNanos);
    assertEquals(LifecycleEvents.TIMEOUT, event.getString("reason"));
    assertEquals(config.maxMissed(), event.getInteger("missedTicks"));
    window.assertInside("sinceLastFrameMs", event.getLong("sinceLastFrameMs"), lastFrameNanos,
        closedNanos);
    assertEquals(client.localAddress(), event.getString("remoteAddress"));
  }
}
