package io.heartbeat.examples;

import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.Commands;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application embedding Heartbeat (docs/EMBEDDING.md): it keeps the set of connections
 * online from the service's lifecycle events, answers every DATA frame {@code "ping"} with a
 * DATA frame {@code "pong"} through the command address, and republishes each close with its
 * reason on {@value #OFFLINE}. Only public event-bus addresses and JSON fields are used, so the
 * same code works against a Heartbeat node elsewhere in a cluster.
 */
public final class EchoPresenceVerticle extends VerticleBase {

  /** Where this application announces a device going offline: {@code {"id","reason"}}. */
  public static final String OFFLINE = "example.device.offline";

  private static final Logger LOG = LoggerFactory.getLogger(EchoPresenceVerticle.class);

  private final Map<Long, String> online = new ConcurrentHashMap<>();

  /** Connections online now: id to remote address. */
  public Map<Long, String> online() {
    return Map.copyOf(online);
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    var opened = bus.<JsonObject>consumer(Addresses.CONNECTION_OPENED, m ->
        online.put(m.body().getLong("id"), m.body().getString("remoteAddress")));
    var closed = bus.<JsonObject>consumer(Addresses.CONNECTION_CLOSED, m -> {
      long id = m.body().getLong("id");
      online.remove(id);
      bus.publish(OFFLINE, new JsonObject().put("id", id)
          .put("reason", m.body().getString("reason")));
    });
    var data = bus.<JsonObject>consumer(Addresses.CONNECTION_DATA, m -> {
      JsonObject event = m.body();
      byte[] payload = Base64.getDecoder().decode(event.getString("payload"));
      if ("DATA".equals(event.getString("type"))
          && "ping".equals(new String(payload, StandardCharsets.UTF_8))) {
        JsonObject send = new JsonObject().put(Commands.ACTION, Commands.SEND)
            .put("id", event.getLong("id"))
            .put("payload", Base64.getEncoder().encodeToString("pong".getBytes(
                StandardCharsets.UTF_8)));
        // request, not send: the reply says whether the connection still existed.
        bus.request(Addresses.COMMAND, send).onFailure(e ->
            LOG.warn("pong to connection {} not sent: {}", event.getLong("id"), e.getMessage()));
      }
    });
    return Future.all(opened.completion(), closed.completion(), data.completion());
  }
}
