package io.heartbeat.conformance;

import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.Hello;
import io.heartbeat.testing.FrameClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * The scenario action {@code takeover}: the harness opens a second session with the client's
 * own client id over a raw socket ({@link FrameClient}: HELLO, then WELCOME), so the server
 * must send the client under test GOODBYE "replaced". The taker then heartbeats every tick and
 * holds the id until the scenario ends.
 */
final class Takeover implements AutoCloseable {

  private static final long OPEN_WITHIN_MS = 5000;

  private final Vertx vertx;
  private final JsonObject server;
  private final JsonObject client;
  private FrameClient taker;

  /**
   * @param server the scenario's server settings (byteOrder, tickMs, auth.jwtSecret)
   * @param client the client options the client under test got (clientId, token)
   */
  Takeover(Vertx vertx, JsonObject server, JsonObject client) {
    this.vertx = vertx;
    this.server = server;
    this.client = client;
  }

  /** Opens the taking session on {@code port}; returns once its WELCOME arrived. */
  void take(int port) throws Exception {
    String clientId = client.getString("clientId");
    if (clientId == null) {
      throw new IllegalArgumentException("takeover needs client \"clientId\"");
    }
    if (taker != null) {
      throw new IllegalStateException("takeover happens once per scenario");
    }
    ByteOrder order = "BIG_ENDIAN".equals(server.getString("byteOrder"))
        ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    String secret = server.getString("auth.jwtSecret");
    String token = secret == null ? "" : ScenarioTokens.token(vertx, "valid", secret, clientId);
    long tickMs = server.getLong("tickMs", 50L);
    taker = FrameClient.connect(vertx, port, order).toCompletionStage().toCompletableFuture()
        .get(OPEN_WITHIN_MS, TimeUnit.MILLISECONDS);
    taker.send(FrameType.HELLO, new Hello(0, clientId, token).payload(order));
    FrameClient.Frame first = Future.any(taker.frames().at(0), taker.closed())
        .map(v -> taker.frames().size() > 0 ? taker.frames().snapshot().get(0) : null)
        .toCompletionStage().toCompletableFuture().get(OPEN_WITHIN_MS, TimeUnit.MILLISECONDS);
    if (first == null || first.type() != FrameType.WELCOME) {
      throw new AssertionError("takeover: the server answered the second HELLO for \""
          + clientId + "\" with " + (first == null ? "a close" : first) + ", not WELCOME");
    }
    taker.heartbeatEvery(tickMs);
  }

  @Override
  public void close() {
    if (taker != null) {
      taker.close();
    }
  }
}
