package io.heartbeat.server;

import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.Commands;
import io.heartbeat.bus.ConnectionIds;
import io.heartbeat.bus.ConnectionListQuery;
import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.bus.Payloads;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.protocol.FrameEncoder;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.session.ClientDirectory;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * The JSON commands one I/O instance answers: the application's (send, set ack payload, kick;
 * forwarded to the owning instance when another one holds the connection) and the admin API's
 * (list, describe, drain, undrain). One handler per action; every request gets a reply or a
 * failure with a code and one line.
 */
final class IoCommands {

  private static final long FORWARD_TIMEOUT_MS = 5_000;

  /** What the instance does for the admin API's drain and undrain. */
  interface DrainControl {
    io.vertx.core.Future<Void> drain();

    io.vertx.core.Future<Void> undrain();
  }

  private final int ioKey;
  private final ConnectionRegistry registry;
  private final FrameEncoder encoder;
  private final EventBus bus;
  private final Supplier<HeartbeatConfig> config;
  private final GoodbyeFrames goodbyes;
  private final DrainControl drain;
  private final ClientDirectory directory;

  IoCommands(int ioKey, ConnectionRegistry registry, FrameEncoder encoder, EventBus bus,
      Supplier<HeartbeatConfig> config, GoodbyeFrames goodbyes, DrainControl drain,
      ClientDirectory directory) {
    this.ioKey = ioKey;
    this.registry = registry;
    this.encoder = encoder;
    this.bus = bus;
    this.config = config;
    this.goodbyes = goodbyes;
    this.drain = drain;
    this.directory = directory;
  }

  /**
   * A command on {@link Addresses#COMMAND}: handle it here or forward it to the owner. A command
   * may name a session's {@code clientId} instead of the connection {@code id}: the client
   * directory says which connection holds it, wherever it lives.
   */
  void onApplicationCommand(Message<JsonObject> message) {
    JsonObject body = message.body();
    Object clientId = body == null || body.containsKey("id") ? null : body.getValue("clientId");
    if (clientId != null) {
      byClientId(message, body, clientId);
      return;
    }
    Long id;
    try {
      id = body == null ? null : body.getLong("id");
    } catch (ClassCastException e) {
      id = null;
    }
    if (id == null) {
      message.fail(Commands.BAD_REQUEST, "Command needs a numeric \"id\" or a \"clientId\": "
          + body);
      return;
    }
    route(message, body, id);
  }

  private void byClientId(Message<JsonObject> message, JsonObject body, Object clientId) {
    if (!(clientId instanceof String) || ((String) clientId).isEmpty()) {
      message.fail(Commands.BAD_REQUEST, "\"clientId\" must be a non-empty string: " + body);
      return;
    }
    directory.holder((String) clientId).onComplete(ar -> {
      if (ar.failed()) {
        message.fail(500, "Could not look up client " + clientId + ": "
            + ar.cause().getMessage());
      } else if (ar.result() == null) {
        message.fail(Commands.NOT_FOUND, "No client " + clientId + " is online");
      } else {
        JsonObject byId = body.copy();
        byId.remove("clientId");
        route(message, byId.put("id", ar.result()), ar.result());
      }
    });
  }

  private void route(Message<JsonObject> message, JsonObject body, long id) {
    if (ConnectionIds.ioKeyOf(id) == ioKey) {
      onOwnCommand(message, body);
      return;
    }
    long target = id;
    bus.<JsonObject>request(Addresses.ownerOf(id), body,
        new DeliveryOptions().setSendTimeout(FORWARD_TIMEOUT_MS)).onComplete(ar -> {
          if (ar.succeeded()) {
            message.reply(ar.result().body());
            return;
          }
          ReplyFailure type = ar.cause() instanceof ReplyException
              ? ((ReplyException) ar.cause()).failureType() : null;
          if (type == ReplyFailure.RECIPIENT_FAILURE) {
            ReplyException failure = (ReplyException) ar.cause();
            message.fail(failure.failureCode(), failure.getMessage());
          } else if (type == ReplyFailure.NO_HANDLERS) {
            message.fail(Commands.NOT_FOUND, "No connection " + target
                + " (its I/O instance is gone)");
          } else {
            message.fail(500, "Command for connection " + target + " failed: "
                + ar.cause().getMessage());
          }
        });
  }

  /** A command addressed to this instance (by the admin API, or forwarded). */
  void onOwnCommand(Message<JsonObject> message) {
    onOwnCommand(message, message.body());
  }

  private void onOwnCommand(Message<JsonObject> message, JsonObject body) {
    try {
      String action = body == null ? null : body.getString(Commands.ACTION);
      if (action == null) {
        message.fail(Commands.BAD_REQUEST, "Command needs an \"action\": " + body);
        return;
      }
      switch (action) {
        case Commands.SEND, Commands.SET_ACK_PAYLOAD, Commands.KICK, Commands.REPLACE ->
            applicationCommand(message, action, body);
        case Commands.LIST -> message.reply(list(ConnectionListQuery.fromJson(body)));
        case Commands.DESCRIBE -> describe(message, body.getLong("id"));
        case Commands.DRAIN -> drain.drain().onComplete(ar -> message.reply(
            new JsonObject().put("drained", ar.succeeded())));
        case Commands.UNDRAIN -> drain.undrain().onComplete(ar -> {
          if (ar.succeeded()) {
            message.reply(new JsonObject().put("draining", false));
          } else {
            message.fail(500, "Could not take connections again: " + ar.cause().getMessage());
          }
        });
        default -> message.fail(Commands.BAD_REQUEST, "Unknown action \"" + action
            + "\"; expected send, setAckPayload or kick");
      }
    } catch (ClassCastException | IllegalArgumentException | NullPointerException e) {
      message.fail(Commands.BAD_REQUEST, "Malformed command " + body + ": " + e.getMessage());
    }
  }

  private void applicationCommand(Message<JsonObject> message, String action, JsonObject body) {
    long id = body.getLong("id");
    ConnectionCore connection = registry.open(id);
    if (connection == null) {
      message.fail(Commands.NOT_FOUND, "No open connection " + id);
      return;
    }
    byte[] payload = Payloads.decode(body.getString("payload"));
    switch (action) {
      case Commands.SEND -> {
        if (!connection.sendApplicationFrame(encoder.frameBytes(FrameType.DATA, payload),
            System.nanoTime())) {
          message.fail(503, "Connection " + id + " is not reading; the DATA frame was dropped");
          return;
        }
      }
      case Commands.SET_ACK_PAYLOAD -> connection.setAckFrame(payload.length == 0 ? null
          : encoder.frameBytes(FrameType.HEARTBEAT_ACK, payload));
      case Commands.REPLACE -> connection.close(LifecycleEvents.REPLACED,
          goodbyes.of(LifecycleEvents.REPLACED), System.nanoTime());
      default -> connection.close(LifecycleEvents.KICKED, goodbyes.of(LifecycleEvents.KICKED),
          System.nanoTime());
    }
    message.reply(new JsonObject().put("ok", true));
  }

  private void describe(Message<JsonObject> message, Long id) {
    ConnectionCore connection = id == null ? null : registry.open(id);
    if (connection == null) {
      message.fail(Commands.NOT_FOUND, "No open connection " + id);
      return;
    }
    long now = System.nanoTime();
    long silentMs = (now - connection.lastFrameNanos()) / 1_000_000;
    HeartbeatConfig settings = config.get();
    int k = connection.intervalTicks();
    JsonObject details = new JsonObject().put("id", connection.id())
        .put("remoteAddress", connection.remoteAddress())
        .put("ageMs", (now - connection.openedNanos()) / 1_000_000)
        .put("sinceLastFrameMs", silentMs)
        .put("missedTicks", Silence.missedTicks(silentMs, settings.tickMs(),
            settings.maxMissed() * k));
    if (connection.hasSession()) {
      details.put("clientId", connection.clientId())
          .put("intervalMs", k * settings.tickMs())
          .put("closeAfterMs", (long) k * settings.maxMissed() * settings.tickMs());
    }
    message.reply(details);
  }

  private JsonObject list(ConnectionListQuery query) {
    long now = System.nanoTime();
    HeartbeatConfig settings = config.get();
    for (ConnectionCore c : registry.all()) {
      if (!c.isClosing()) {
        long silentMs = (now - c.lastFrameNanos()) / 1_000_000;
        query.offer(c.id(), c.remoteAddress(), (now - c.openedNanos()) / 1_000_000, silentMs,
            Silence.missedTicks(silentMs, settings.tickMs(),
                settings.maxMissed() * c.intervalTicks()));
      }
    }
    return query.reply();
  }
}
