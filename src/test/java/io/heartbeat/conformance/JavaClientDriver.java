package io.heartbeat.conformance;

import io.heartbeat.client.DisconnectReason;
import io.heartbeat.client.HeartbeatClient;
import io.heartbeat.client.HeartbeatClientOptions;
import io.heartbeat.client.SessionGrant;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * The Java client ({@link HeartbeatClient}, public API only), its handlers mapped to the shared
 * event lines. "sent heartbeat" is the heartbeat payload supplier being asked for a payload;
 * "connected" comes once the connection is open (for a session: at the WELCOME), followed by
 * "welcome interval_ms=.. close_after_ms=.." from the {@link SessionGrant}.
 */
final class JavaClientDriver implements ClientDriver {

  private static final Buffer DATA = Buffer.buffer("hbclient-data");

  private final Vertx vertx;
  private HeartbeatClient client;
  private long dataTimer = -1;

  JavaClientDriver(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public String name() {
    return "Java (HeartbeatClient)";
  }

  private static long now() {
    return System.nanoTime() / 1_000_000;
  }

  @Override
  public void start(int port, JsonObject o, EventLog log) {
    HeartbeatClientOptions options = new HeartbeatClientOptions()
        .setHost("127.0.0.1").setPort(port)
        .setHeartbeatIntervalMs(o.getLong("intervalMs", 3000L))
        .setServerTimeoutMs(o.getLong("serverTimeoutMs", 0L))
        .setReconnectInitialDelayMs(o.getLong("reconnectInitialMs", 100L))
        .setReconnectMaxDelayMs(o.getLong("reconnectMaxMs", 30_000L))
        // The C client has no separate shutdown jitter: both use the backoff after "shutdown".
        .setShutdownJitterMs(0)
        .setByteOrder(o.getBoolean("bigEndian", false) ? ByteOrder.BIG_ENDIAN
            : ByteOrder.LITTLE_ENDIAN);
    if (o.getString("clientId") != null) {
      options.setClientId(o.getString("clientId"))
          .setRequestedIntervalMs(o.getInteger("requestedIntervalMs", 0))
          .setToken(o.getString("token"));
    }
    client = HeartbeatClient.create(vertx, options)
        .connectedHandler(v -> log.add(now(), "connected"))
        .connectionOpenedHandler(opened -> {
          SessionGrant grant = opened.session();
          if (grant != null) {
            log.add(now(), "welcome interval_ms=" + grant.intervalMs() + " close_after_ms="
                + grant.closeAfterMs());
          }
        })
        .ackHandler(payload -> log.add(now(), "ack"))
        .dataHandler(payload -> log.add(now(), "data len=" + payload.length()))
        .heartbeatPayloadSupplier(() -> {
          log.add(now(), "sent heartbeat");
          return null;
        })
        .reconnectScheduledHandler(r -> log.add(now(), "reconnect in ms=" + r.delayMs()))
        .disconnectedHandler(reason -> {
          long at = now();
          if (reason.kind() == DisconnectReason.Kind.GOODBYE) {
            log.add(at, "goodbye reason=" + reason.detail());
          } else if (reason.kind() == DisconnectReason.Kind.SERVER_TIMEOUT) {
            log.add(at, "server-timeout");
          }
          log.add(at, "disconnected");
        });
    long dataEveryMs = o.getLong("dataEveryMs", 0L);
    if (dataEveryMs > 0) {
      dataTimer = vertx.setPeriodic(dataEveryMs, id -> {
        if (client.isConnected()) {
          client.send(DATA).onSuccess(v -> log.add(now(), "sent data len=" + DATA.length()));
        }
      });
    }
    client.connect();
  }

  @Override
  public void close() {
    if (dataTimer >= 0) {
      vertx.cancelTimer(dataTimer);
    }
    if (client != null) {
      try {
        client.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("Java client did not close: " + e, e);
      }
    }
  }
}
