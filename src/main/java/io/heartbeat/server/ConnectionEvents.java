package io.heartbeat.server;

import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.metrics.HeartbeatMetrics;
import io.heartbeat.metrics.IoStats;
import io.heartbeat.protocol.Hello;
import io.heartbeat.protocol.IllegalFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.eventbus.EventBus;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An I/O instance's side of its connections' events: counts them, logs them (protocol and
 * socket errors rate-limited), batches activity, publishes data and close events, and forgets
 * a connection once its socket closed. On the instance's event loop and context.
 */
final class ConnectionEvents implements ConnectionListener {

  private static final Logger LOG = LoggerFactory.getLogger(IoVerticle.class);

  private final ConnectionRegistry registry;
  private final TickChores chores;
  private final ConnectionLimits limits;
  private final IoStats stats;
  private final HeartbeatMetrics metrics;
  private final EventBus bus;
  private final Supplier<HeartbeatConfig> config;
  private final CorePolicy policy;
  private final SessionOpening sessions;
  private final Runnable afterClose;
  private final RateLimitedLog protocolLog = new RateLimitedLog(LOG, 10);
  private final RateLimitedLog ioLog = new RateLimitedLog(LOG, 10);

  /** @param afterClose runs after each close is processed (a drain waits for the last one) */
  ConnectionEvents(ConnectionRegistry registry, TickChores chores, ConnectionLimits limits,
      IoStats stats, HeartbeatMetrics metrics, EventBus bus, Supplier<HeartbeatConfig> config,
      CorePolicy policy, SessionOpening sessions, Runnable afterClose) {
    this.registry = registry;
    this.chores = chores;
    this.limits = limits;
    this.stats = stats;
    this.metrics = metrics;
    this.bus = bus;
    this.config = config;
    this.policy = policy;
    this.sessions = sessions;
    this.afterClose = afterClose;
  }

  @Override
  public void active(ConnectionCore connection) {
    registry.markActive(connection);
  }

  @Override
  public void heartbeat(ConnectionCore connection, boolean acked) {
    stats.countHeartbeat();
    if (acked) {
      stats.countAck();
    }
    if (policy.logHeartbeats) {
      LOG.info("Heartbeat from connection {} ({}){}", connection.id(),
          connection.remoteAddress(), acked ? ", acked" : ", not acked");
    }
  }

  @Override
  public void data(ConnectionCore connection, boolean heartbeat, ByteBuf payload) {
    if (!heartbeat) {
      stats.countData();
    }
    bus.publish(Addresses.CONNECTION_DATA, LifecycleEvents.withClientId(
        LifecycleEvents.data(connection.id(), heartbeat ? "HEARTBEAT" : "DATA",
            ByteBufUtil.getBytes(payload)), connection.clientId()));
  }

  @Override
  public void hello(ConnectionCore connection, Hello hello) {
    sessions.open(connection, hello);
  }

  @Override
  public void sessionRefused(ConnectionCore connection, String reason) {
    protocolLog.warn("Connection {} from {} refused: {} (the first frame must be a HELLO)",
        connection.id(), connection.remoteAddress(), reason);
  }

  @Override
  public void dataBeforeWelcome(ConnectionCore connection) {
    stats.countDataBeforeWelcome();
  }

  @Override
  public void goodbye(ConnectionCore connection, String reason) {
    LOG.info("Connection {} ({}) said goodbye: {}", connection.id(), connection.remoteAddress(),
        reason);
  }

  @Override
  public void protocolError(ConnectionCore connection, IllegalFrameException verdict) {
    stats.countProtocolError(verdict.reason());
    protocolLog.warn("Connection {} from {} closed: protocol error: {}", connection.id(),
        connection.remoteAddress(), verdict.getMessage());
  }

  @Override
  public void stoppedReading(ConnectionCore connection) {
    chores.watchStoppedReading(connection);
  }

  @Override
  public void ioError(ConnectionCore connection, Throwable error) {
    ioLog.warn("Connection {} from {}: socket error: {}", connection.id(),
        connection.remoteAddress(), error.getMessage() == null ? error.toString()
            : error.getMessage());
  }

  @Override
  public void closed(ConnectionCore connection, String reason) {
    registry.remove(connection);
    limits.release(connection.remoteHost());
    stats.countClosed(reason, registry.size());
    HeartbeatConfig settings = config.get();
    long now = connection.closeDecidedNanos() != 0 ? connection.closeDecidedNanos()
        : System.nanoTime();
    long sinceLastFrameMs = (now - connection.lastFrameNanos()) / 1_000_000;
    int missed = connection.missedTicksAtClose();
    if (missed < 0) {
      missed = Silence.missedTicks(sinceLastFrameMs, settings.tickMs(), settings.maxMissed());
    }
    if (LifecycleEvents.TIMEOUT.equals(reason)) {
      metrics.detectionDelay(sinceLastFrameMs);
    }
    if (!LifecycleEvents.PROTOCOL_ERROR.equals(reason)) {
      // Protocol errors were already logged, rate-limited: hostile input must not flood the log.
      LOG.info("Connection {} from {} closed: {} ({} ms since last frame)", connection.id(),
          connection.remoteAddress(), reason, sinceLastFrameMs);
    }
    bus.publish(Addresses.CONNECTION_CLOSED, LifecycleEvents.withClientId(
        LifecycleEvents.closed(connection.id(), connection.remoteAddress(), reason,
            sinceLastFrameMs, missed, (now - connection.openedNanos()) / 1_000_000),
        connection.clientId()));
    sessions.closed(connection, reason, sinceLastFrameMs);
    afterClose.run();
  }
}
