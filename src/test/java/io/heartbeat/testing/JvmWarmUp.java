package io.heartbeat.testing;

import io.heartbeat.HeartbeatService;
import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.Commands;
import io.heartbeat.protocol.FrameType;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** Warms the JVM up before the first timing-sensitive test. */
public final class JvmWarmUp {

  private static boolean warmedUp;

  private JvmWarmUp() {
  }

  /**
   * Once per JVM, runs every path the tests use (accept, ack, DATA, command, kick, events) in a
   * throwaway Vert.x. The first pass through these paths loads and links hundreds of classes,
   * which on a loaded two-core machine stalls event loops for hundreds of milliseconds: longer
   * than a test window. Blocks the test thread (never an event loop).
   */
  public static synchronized void once() throws Exception {
    if (warmedUp) {
      return;
    }
    warmedUp = true;
    Vertx warm = Vertx.vertx();
    try {
      ServiceEvents events = ServiceEvents.listen(warm).await(10, TimeUnit.SECONDS);
      // A 10 s tick: the cold paths are slow, and no timeout must cut the warm-up short.
      HeartbeatService service = TestServices
          .start(warm, TestServices.defaults().put("tickMs", 10_000))
          .await(10, TimeUnit.SECONDS);
      FrameClient client = FrameClient.connect(warm, service.port()).await(10, TimeUnit.SECONDS);
      long id = events.idOf(client).await(10, TimeUnit.SECONDS);
      client.heartbeat();
      client.send(FrameType.DATA, FrameClient.utf8("warm-up"));
      client.frames().at(0).await(10, TimeUnit.SECONDS);
      events.data(id).at(0).await(10, TimeUnit.SECONDS);
      warm.eventBus().request(Addresses.COMMAND, Commands.send(id, new byte[1]))
          .await(10, TimeUnit.SECONDS);
      warm.eventBus().request(Addresses.COMMAND, Commands.kick(id)).await(10, TimeUnit.SECONDS);
      events.closed(id).await(10, TimeUnit.SECONDS);
      client.closed().await(10, TimeUnit.SECONDS);
    } finally {
      warm.close().await(10, TimeUnit.SECONDS);
    }
  }
}
