package io.heartbeat.server;

import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.Commands;
import io.heartbeat.bus.ConnectionIds;
import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.metrics.IoStats;
import io.heartbeat.protocol.FrameEncoder;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.Hello;
import io.heartbeat.protocol.Welcome;
import io.heartbeat.session.IntervalGrant;
import io.heartbeat.session.SessionServices;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One I/O instance's side of protocol 1.1 sessions: takes a connection's well-formed HELLO and
 * opens the session in order - flapping guard, credential (off the event loop), the client id
 * claimed in the deployment-wide {@link io.heartbeat.session.ClientDirectory} (taking it over
 * from an older connection, which is sent GOODBYE {@code replaced} wherever it lives), then
 * WELCOME with the granted interval - or closes with GOODBYE {@code flapping},
 * {@code unauthorized} or {@code limit}. Publishes presence: online when a client id gets its
 * first connection, offline when the connection holding it closes; a takeover publishes
 * neither. On the instance's event loop.
 */
final class SessionOpening {

  private static final Logger LOG = LoggerFactory.getLogger(IoVerticle.class);
  private static final long REPLACE_TIMEOUT_MS = 5_000;

  private final SessionServices services;
  private final FrameEncoder encoder;
  private final GoodbyeFrames goodbyes;
  private final EventBus bus;
  private final Supplier<HeartbeatConfig> config;
  private final IoStats stats;
  private final int node;
  private final RateLimitedLog refusalLog = new RateLimitedLog(LOG, 10);

  SessionOpening(SessionServices services, FrameEncoder encoder, GoodbyeFrames goodbyes,
      EventBus bus, Supplier<HeartbeatConfig> config, IoStats stats, int node) {
    this.services = services;
    this.encoder = encoder;
    this.goodbyes = goodbyes;
    this.bus = bus;
    this.config = config;
    this.stats = stats;
    this.node = node;
  }

  /** Opens the session a HELLO asks for, or refuses it. */
  void open(ConnectionCore connection, Hello hello) {
    String clientId = hello.clientId();
    if (!services.admit(clientId, System.nanoTime() / 1_000_000)) {
      stats.countFlappingRefusal();
      refuse(connection, LifecycleEvents.FLAPPING, "client id " + clientId
          + " connects too often (session.flapMaxConnects)");
      return;
    }
    services.verify(clientId, hello.token()).onComplete(verified -> {
      if (verified.failed()) {
        String reason = SessionServices.refusalReason(verified.cause());
        stats.countAuthFailure(reason);
        refuse(connection, LifecycleEvents.UNAUTHORIZED, "client id " + clientId
            + ": credential refused (" + reason + ")");
      } else if (!connection.isClosing()) {
        claim(connection, hello);
      }
    });
  }

  private void claim(ConnectionCore connection, Hello hello) {
    String clientId = hello.clientId();
    services.directory().claim(clientId, connection.id()).onComplete(claimed -> {
      if (claimed.failed()) {
        refuse(connection, LifecycleEvents.LIMIT, "client id " + clientId + ": "
            + claimed.cause().getMessage());
        return;
      }
      long previous = claimed.result();
      if (previous >= 0) {
        replace(previous);
      }
      HeartbeatConfig c = config.get();
      IntervalGrant grant = IntervalGrant.grant(hello.requestedIntervalMs(), c.tickMs(),
          c.sessionMinIntervalMs(), c.sessionMaxIntervalMs(), c.maxMissed());
      byte[] welcome = encoder.frameBytes(FrameType.WELCOME, new Welcome(grant.intervalMs(),
          grant.closeAfterMs(), (int) c.tickMs(), connection.id()).payload(c.byteOrder()));
      if (connection.welcome(welcome, grant.intervalTicks(), clientId, System.nanoTime())) {
        stats.countSessionOpened(previous >= 0);
        if (previous < 0) {
          bus.publish(Addresses.CLIENT_ONLINE, LifecycleEvents.online(clientId, connection.id(),
              node, grant.intervalMs()));
        }
      } else {
        // Closed while the session was being opened: give the id back, and if it was taken
        // over from a live connection the client is now offline.
        services.directory().release(clientId, connection.id()).onSuccess(removed -> {
          if (removed && previous >= 0) {
            bus.publish(Addresses.CLIENT_OFFLINE, LifecycleEvents.offline(clientId,
                connection.id(), connection.closeReasonOr(LifecycleEvents.PEER_CLOSED), 0));
          }
        });
      }
    });
  }

  /** Sends the older holder of a client id GOODBYE replaced, wherever it lives. */
  private void replace(long previous) {
    bus.request(Addresses.ownerOf(previous), Commands.replace(previous),
        new DeliveryOptions().setSendTimeout(REPLACE_TIMEOUT_MS)).onFailure(error -> {
          boolean gone = error instanceof ReplyException
              && (((ReplyException) error).failureType() == ReplyFailure.NO_HANDLERS
              || ((ReplyException) error).failureCode() == Commands.NOT_FOUND);
          if (!gone) {
            LOG.warn("Could not close connection {} replaced by a new session (node {}): {}",
                previous, ConnectionIds.nodeOf(previous), error.getMessage());
          }
        });
  }

  private void refuse(ConnectionCore connection, String reason, String why) {
    refusalLog.warn("Connection {} from {} refused: {}", connection.id(),
        connection.remoteAddress(), why);
    connection.close(reason, goodbyes.of(reason), System.nanoTime());
  }

  /**
   * A connection closed: if it held a client id, the id is released and, unless another
   * connection took it over, the client is offline.
   */
  void closed(ConnectionCore connection, String reason, long sinceLastFrameMs) {
    String clientId = connection.clientId();
    if (clientId == null) {
      return;
    }
    stats.countSessionClosed();
    services.directory().release(clientId, connection.id()).onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        bus.publish(Addresses.CLIENT_OFFLINE, LifecycleEvents.offline(clientId, connection.id(),
            reason, sinceLastFrameMs));
      } else if (ar.failed()) {
        LOG.warn("Could not release client id {} of closed connection {}: {}", clientId,
            connection.id(), ar.cause().getMessage());
      }
    });
  }
}
