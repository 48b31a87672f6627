package io.heartbeat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.CloseCommand;
import io.heartbeat.bus.CloseReply;
import io.heartbeat.bus.ConnectionIds;
import io.heartbeat.testing.FrameClient;
import io.heartbeat.testing.ServiceSettings;
import io.heartbeat.testing.ServiceTest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A close batch is carried out longest-silent first, whatever order the monitor listed it in:
 * carrying out thousands of closes takes tens of milliseconds, and the connections nearest the
 * window's upper edge are the ones that cannot wait. One I/O instance, so both connections are
 * on one event loop and their closed events come out in the order the closes were done;
 * detection is off so only the test's own batch closes anything.
 */
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
@ServiceSettings({"ioInstances=1", "detectionEnabled=false", "tickMs=50", "maxMissed=2"})
class CloseBatchOrderTest extends ServiceTest {

  @Test
  void theLongestSilentConnectionOfABatchIsClosedFirst(Vertx vertx, VertxTestContext ctx) {
    List<Long> closedOrder = new ArrayList<>();
    Promise<Void> bothClosed = Promise.promise();
    vertx.eventBus().<JsonObject>consumer(Addresses.CONNECTION_CLOSED, m -> {
      closedOrder.add(m.body().getLong("id"));
      if (closedOrder.size() == 2) {
        bothClosed.complete();
      }
    });
    long[] ids = new long[2];
    Future<Long> older = lastFrameNow(vertx, 0, ids);
    older.compose(v -> wait(vertx, 60)).compose(v -> lastFrameNow(vertx, 1, ids))
        // Both silent for longer than the 100 ms window, the younger by 60 ms less.
        .compose(v -> wait(vertx, 150))
        .compose(v -> closeUntilDone(vertx, ids))
        .compose(reply -> bothClosed.future())
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(List.of(ids[0], ids[1]), closedOrder,
              "closed events, listed in the batch as [younger, older]");
          ctx.completeNow();
        })));
  }

  /**
   * Sends the batch [younger, older]. An instance whose own loop just stalled refuses every
   * close for a tick (it may not have read what its sockets hold), as the monitor is told: then
   * the batch is proposed again a tick later, as the monitor would.
   */
  private Future<Void> closeUntilDone(Vertx vertx, long[] ids) {
    return vertx.eventBus().<Buffer>request(Addresses.ioClose(ConnectionIds.ioKeyOf(ids[0])),
            CloseCommand.of(List.of(ids[1], ids[0])).toBuffer())
        .compose(reply -> CloseReply.fromBuffer(reply.body()).refused().length == 0
            ? Future.succeededFuture()
            : wait(vertx, config.tickMs()).compose(v -> closeUntilDone(vertx, ids)));
  }

  /** Connects, sends one heartbeat, waits for its ack; the connection is silent from then on. */
  private Future<Long> lastFrameNow(Vertx vertx, int slot, long[] ids) {
    return FrameClient.connect(vertx, service.port()).compose(client -> {
      Promise<Void> acked = Promise.promise();
      client.onFrame(f -> acked.tryComplete());
      client.heartbeat();
      return acked.future().compose(v -> events.idOf(client));
    }).onSuccess(id -> ids[slot] = id);
  }

  private static Future<Void> wait(Vertx vertx, long ms) {
    Promise<Void> done = Promise.promise();
    vertx.setTimer(ms, t -> done.complete());
    return done.future();
  }
}
