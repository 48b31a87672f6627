package io.heartbeat.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.client.DisconnectReason;
import io.heartbeat.client.HeartbeatClient;
import io.heartbeat.client.HeartbeatClientOptions;
import io.heartbeat.client.SessionGrant;
import io.heartbeat.testing.ServiceTest;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The production Java client against the real server with a session: it is granted the
 * server's interval, and a second client with the same id takes the session over, the first
 * reporting {@code replaced} and staying away.
 */
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class JavaClientSessionTest extends ServiceTest {

  private HeartbeatClientOptions options(String clientId) {
    return new HeartbeatClientOptions().setHost("127.0.0.1").setPort(service.port())
        .setClientId(clientId).setRequestedIntervalMs(70);
  }

  @Test
  void theClientIsGrantedWholeTicksAndASecondClientReplacesIt(Vertx vertx,
      VertxTestContext ctx) {
    HeartbeatClient first = HeartbeatClient.create(vertx, options("kiosk-1"));
    HeartbeatClient second = HeartbeatClient.create(vertx, options("kiosk-1"));
    Promise<DisconnectReason> firstEnded = Promise.promise();
    first.disconnectedHandler(firstEnded::tryComplete);
    first.connect().compose(v -> {
      SessionGrant grant = first.session();
      ctx.verify(() -> {
        assertEquals(100, grant.intervalMs(), "70 ms asked, two ticks of 50 granted");
        assertEquals(300, grant.closeAfterMs());
        assertEquals(50, grant.tickMs());
      });
      return second.connect();
    }).compose(v -> firstEnded.future()).onComplete(ctx.succeeding(reason -> ctx.verify(() -> {
      assertTrue(reason.isGoodbye(DisconnectReason.GOODBYE_REPLACED), reason.toString());
      assertTrue(second.isConnected(), "the newer session is kept");
      assertFalse(first.isConnected());
      ctx.completeNow();
    })));
  }
}
