package io.heartbeat.server;

import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.Commands;
import io.heartbeat.bus.ConnectionIds;
import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.bus.Payloads;
import io.heartbeat.protocol.FrameEncoder;
import io.heartbeat.protocol.FrameType;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Carries out commands for one I/O instance: the application's (send, set ack payload, kick;
 * forwarded to the owning instance when another one holds the connection) and the monitor's
 * (close batches, checked against the connection's own last frame, and probe batches).
 */
final class IoCommands {

  private static final long FORWARD_TIMEOUT_MS = 5_000;

  private final IoVerticle owner;
  private final ConnectionRegistry registry;
  private final FrameEncoder encoder;

  IoCommands(IoVerticle owner, ConnectionRegistry registry, FrameEncoder encoder) {
    this.owner = owner;
    this.registry = registry;
    this.encoder = encoder;
  }

  /** A command on {@link Addresses#COMMAND}: handle it here or forward it to the owner. */
  void onApplicationCommand(Message<JsonObject> message) {
    JsonObject body = message.body();
    Long id = body == null ? null : body.getLong("id");
    if (id == null) {
      message.fail(Commands.BAD_REQUEST, "Command needs a numeric \"id\": " + body);
      return;
    }
    if (ConnectionIds.ioKeyOf(id) == owner.ioKey()) {
      onOwnCommand(message);
      return;
    }
    owner.eventBus().<JsonObject>request(Addresses.ownerOf(id), body,
        new DeliveryOptions().setSendTimeout(FORWARD_TIMEOUT_MS)).onComplete(ar -> {
          if (ar.succeeded()) {
            message.reply(ar.result().body());
          } else if (ar.cause() instanceof ReplyException
              && ((ReplyException) ar.cause()).failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            ReplyException failure = (ReplyException) ar.cause();
            message.fail(failure.failureCode(), failure.getMessage());
          } else if (ar.cause() instanceof ReplyException
              && ((ReplyException) ar.cause()).failureType() == ReplyFailure.NO_HANDLERS) {
            message.fail(Commands.NOT_FOUND, "No connection " + id + " (its I/O instance is gone)");
          } else {
            message.fail(500, "Command for connection " + id + " failed: "
                + ar.cause().getMessage());
          }
        });
  }

  /** A command addressed to this instance (by the monitor, or forwarded). */
  void onOwnCommand(Message<JsonObject> message) {
    JsonObject body = message.body();
    String action = body == null ? null : body.getString(Commands.ACTION);
    try {
      if (Commands.CLOSE.equals(action)) {
        message.reply(closeIfSilent(body.getJsonArray("ids")));
      } else if (Commands.PROBE.equals(action)) {
        probe(body.getJsonArray("ids"));
      } else if (Commands.LIST.equals(action)) {
        message.reply(list(body.getString("peer")));
      } else if (Commands.DESCRIBE.equals(action)) {
        Connection connection = registry.get(body.getLong("id"));
        if (connection == null) {
          message.fail(Commands.NOT_FOUND, "No open connection " + body.getLong("id"));
        } else {
          message.reply(describe(connection, System.nanoTime()));
        }
      } else if (Commands.DRAIN.equals(action)) {
        owner.drain().onComplete(ar -> message.reply(new JsonObject().put("drained", true)));
      } else if (Commands.SEND.equals(action) || Commands.SET_ACK_PAYLOAD.equals(action)
          || Commands.KICK.equals(action)) {
        applicationCommand(message, action, body);
      } else {
        message.fail(Commands.BAD_REQUEST, "Unknown action \"" + action + "\"; expected send,"
            + " setAckPayload or kick");
      }
    } catch (ClassCastException | IllegalArgumentException e) {
      message.fail(Commands.BAD_REQUEST, "Malformed command " + body + ": " + e.getMessage());
    }
  }

  private void applicationCommand(Message<JsonObject> message, String action, JsonObject body) {
    long id = body.getLong("id");
    Connection connection = registry.get(id);
    if (connection == null || connection.isClosing()) {
      message.fail(Commands.NOT_FOUND, "No open connection " + id);
      return;
    }
    byte[] payload = Payloads.decode(body.getString("payload"));
    switch (action) {
      case Commands.SEND:
        connection.writeFrame(encoder.encode(FrameType.DATA, payload));
        break;
      case Commands.SET_ACK_PAYLOAD:
        connection.setAckFrame(payload.length == 0 ? null
            : encoder.encode(FrameType.HEARTBEAT_ACK, payload));
        break;
      default:
        connection.close(LifecycleEvents.KICKED, true);
        break;
    }
    message.reply(new JsonObject().put("ok", true));
  }

  private static final Comparator<Connection> SILENT_LONGEST_FIRST =
      Comparator.comparingLong(Connection::lastFrameNanos);

  private JsonObject closeIfSilent(JsonArray ids) {
    long now = System.nanoTime();
    JsonArray closed = new JsonArray();
    JsonArray refused = new JsonArray();
    JsonArray unknown = new JsonArray();
    int maxMissed = owner.settings().maxMissed();
    List<Connection> due = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      long id = ids.getLong(i);
      Connection connection = registry.get(id);
      if (connection == null || connection.isClosing()) {
        unknown.add(id);
      } else if (owner.timeoutDue(connection, now)) {
        due.add(connection);
      } else {
        refused.add(new JsonObject().put("id", id)
            .put("idleMs", (now - connection.lastFrameNanos()) / 1_000_000));
      }
    }
    // Longest silent first: a batch of thousands takes tens of ms to carry out, and the
    // connections nearest the window's upper edge are the ones that cannot wait.
    due.sort(SILENT_LONGEST_FIRST);
    for (Connection connection : due) {
      connection.closeForTimeout(maxMissed);
      closed.add(connection.id());
    }
    return new JsonObject().put("closed", closed).put("refused", refused).put("unknown", unknown);
  }

  private JsonObject list(String peerFilter) {
    long now = System.nanoTime();
    JsonArray out = new JsonArray();
    for (Connection c : registry.all()) {
      if (!c.isClosing() && (peerFilter == null || c.remoteAddress().contains(peerFilter))) {
        out.add(describe(c, now));
      }
    }
    return new JsonObject().put("connections", out);
  }

  /** What the admin API shows of one connection; missedTicks is whole ticks of silence. */
  private JsonObject describe(Connection c, long now) {
    long sinceLastFrameMs = (now - c.lastFrameNanos()) / 1_000_000;
    return new JsonObject().put("id", c.id()).put("remoteAddress", c.remoteAddress())
        .put("ageMs", (now - c.openedNanos()) / 1_000_000)
        .put("sinceLastFrameMs", sinceLastFrameMs)
        .put("missedTicks", Math.min(owner.settings().maxMissed(),
            sinceLastFrameMs / owner.settings().tickMs()));
  }

  /**
   * Probes the listed connections, except those this instance saw a frame from within
   * probeAfterMissed ticks (less a tenth of a tick for timer jitter): the monitor's view may be up
   * to a tick behind, and a client that is talking needs no probe.
   */
  private void probe(JsonArray ids) {
    long now = System.nanoTime();
    long tickNanos = owner.settings().tickMs() * 1_000_000;
    long silentEnough = owner.settings().probeAfterMissed() * tickNanos - tickNanos / 10;
    for (int i = 0; i < ids.size(); i++) {
      Connection connection = registry.get(ids.getLong(i));
      if (connection != null && now - connection.lastFrameNanos() >= silentEnough) {
        connection.writeFrame(encoder.encode(connection.socket().alloc(), FrameType.HEARTBEAT,
            null));
        owner.probeSent();
      }
    }
  }
}
