package io.heartbeat.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.HeartbeatService;
import io.heartbeat.bus.Addresses;
import io.heartbeat.config.HeartbeatConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.File;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Connection churn leaves nothing behind: after thousands of connects, heartbeats and closes,
 * the service holds no connection, the monitor tracks none, the limits count none and the
 * process has the files it had before. (scripts/reliability runs 1,000/s for 60 s.)
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ChurnTest {

  private static int openFiles() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }

  /**
   * Runs {@code total} short connections ({@code inFlight} at a time: connect, one heartbeat,
   * its ack, close); completes when the service has published a close event for each.
   */
  private static Future<Void> churn(Vertx vertx, NetClient client, int port, int total,
      int inFlight) {
    AtomicInteger closedEvents = new AtomicInteger();
    Promise<Void> allClosed = Promise.promise();
    io.vertx.core.eventbus.MessageConsumer<Object> closes = vertx.eventBus()
        .consumer(Addresses.CONNECTION_CLOSED, m -> {
          if (closedEvents.incrementAndGet() == total) {
            allClosed.tryComplete();
          }
        });
    AtomicInteger started = new AtomicInteger();
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (started.incrementAndGet() > total) {
        return;
      }
      client.connect(port, "127.0.0.1").compose(socket -> {
        Promise<Void> acked = Promise.promise();
        socket.handler(b -> acked.tryComplete());
        socket.write(Buffer.buffer(new byte[8]));
        return acked.future().compose(v -> socket.close());
      }).onComplete(ar -> next[0].run());
    };
    return closes.completion().compose(v -> {
      for (int i = 0; i < inFlight; i++) {
        next[0].run();
      }
      return allClosed.future();
    }).eventually(() -> closes.unregister());
  }

  @Test
  void thousandsOfShortConnectionsLeaveNoStateAndNoOpenFiles(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    int warmUp = 200;
    int total = 3000;
    int inFlight = 50;
    HeartbeatConfig config = HeartbeatConfig.fromJson(new JsonObject().put("port", 0)
        .put("ioInstances", 2).put("tickMs", 100).put("maxMissed", 50));
    NetClient client = vertx.createNetClient();
    int[] filesWithService = new int[1];
    HeartbeatService.start(vertx, config, null, 0).compose(service ->
        // The warm-up opens what this JVM opens once (jars of classes first used here, event
        // loops' files): the baseline is taken after it, so only what the churn leaves counts.
        churn(vertx, client, service.port(), warmUp, inFlight).map(v -> {
          filesWithService[0] = openFiles();
          return service;
        })).compose(service -> churn(vertx, client, service.port(), total, inFlight).map(v -> {
          ctx.verify(() -> {
            assertEquals(0.0, service.metrics().registry().get("heartbeat.connections.open")
                .gauge().value());
            assertEquals(0.0, service.metrics().registry().get("heartbeat.connections.rejected")
                .functionCounter().count(), "a connection was refused during the churn");
            assertEquals((double) (warmUp + total), service.metrics().registry()
                .get("heartbeat.connections.closed").tag("reason", "peer-closed")
                .functionCounter().count());
            int filesAfter = openFiles();
            assertTrue(filesAfter <= filesWithService[0] + 5, "open files "
                + filesWithService[0] + " before the churn, " + filesAfter + " after");
          });
          return service;
        })).compose(service -> {
      // The monitor forgot every connection: its gauge is refreshed on each tick.
      Promise<Void> tick = Promise.promise();
      vertx.setTimer(300, t -> tick.complete());
      return tick.future().map(v -> service);
    }).onComplete(ctx.succeeding(service -> ctx.verify(() -> {
      assertEquals(0.0, service.metrics().registry().get("heartbeat.monitor.tracked").gauge()
          .value(), "the monitor still tracks closed connections");
      ctx.completeNow();
    })));
  }
}
