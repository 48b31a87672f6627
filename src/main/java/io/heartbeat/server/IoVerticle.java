package io.heartbeat.server;

import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.config.ConfigException;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.protocol.FrameEncoder;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.IllegalFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The I/O verticle: owns the client sockets of one event loop. It decodes frames, acks
 * heartbeats, reports activity to the monitor once per tick and carries out close commands after
 * checking them against its own record of each connection's last frame.
 *
 * <p>Several instances share one port (Vert.x spreads accepted sockets over them). Each instance
 * has a key ({@link io.heartbeat.bus.ConnectionIds}) that is part of its connections' ids and of
 * its command address {@link Addresses#ioInstance(int)}.
 */
public final class IoVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(IoVerticle.class);

  private final int ioKey;
  private volatile HeartbeatConfig config;
  private final ConnectionRegistry registry;
  private final RateLimitedLog protocolLog = new RateLimitedLog(LOG, 10);
  private final RateLimitedLog ioLog = new RateLimitedLog(LOG, 10);
  private FrameEncoder encoder;
  private ByteBuf emptyAck;
  private TcpKeepAliveTuner keepAlive;
  private EventBus bus;
  private NetServer server;
  private volatile int actualPort = -1;
  private long flushTimer = -1;
  private long lastFlushNanos;
  private long stallRecoveryUntilNanos;

  /**
   * @param config validated settings (the I/O instance follows later run-time changes published
   *     on {@link Addresses#CONFIG_CHANGED})
   * @param ioKey this instance's key, unique among live I/O instances of the cluster
   */
  public IoVerticle(HeartbeatConfig config, int ioKey) {
    this.config = config;
    this.ioKey = ioKey;
    this.registry = new ConnectionRegistry(ioKey);
  }

  /** The port this instance listens on, or -1 before it listens. */
  public int actualPort() {
    return actualPort;
  }

  /** This instance's key. */
  public int ioKey() {
    return ioKey;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    encoder = new FrameEncoder(config.byteOrder());
    emptyAck = encoder.emptyFrame(FrameType.HEARTBEAT_ACK);
    keepAlive = new TcpKeepAliveTuner(config);
    IoCommands commands = new IoCommands(this, registry, encoder);
    List<Future<?>> ready = new ArrayList<>();
    ready.add(bus.<JsonObject>consumer(Addresses.ioInstance(ioKey), commands::onOwnCommand)
        .completion());
    ready.add(bus.<JsonObject>consumer(Addresses.COMMAND, commands::onApplicationCommand)
        .completion());
    ready.add(bus.consumer(Addresses.MONITOR_RESYNC, m -> sendSnapshot()).completion());
    ready.add(bus.<JsonObject>consumer(Addresses.CONFIG_CHANGED, m -> reconfigure(m.body()))
        .completion());
    scheduleFlush();
    server = vertx.createNetServer(new NetServerOptions()
        .setHost(config.host())
        // -1: one random port shared by all instances (0 would give each its own).
        .setPort(config.port() == 0 ? -1 : config.port())
        .setTcpNoDelay(true)
        .setReuseAddress(true)
        .setTcpKeepAlive(config.tcpKeepAlive()));
    server.connectHandler(this::accept);
    return Future.all(ready).compose(v -> server.listen())
        .recover(error -> Future.failedFuture(listenError(error)))
        .onSuccess(s -> actualPort = s.actualPort());
  }

  @Override
  public Future<?> stop() {
    for (Connection c : new ArrayList<>(registry.all())) {
      c.close(LifecycleEvents.SHUTDOWN, true);
    }
    return server == null ? Future.succeededFuture() : server.close();
  }

  private Throwable listenError(Throwable error) {
    String detail = error.getMessage() == null ? error.toString() : error.getMessage();
    return new ConfigException("Cannot listen on " + config.host() + ":" + config.port() + ": "
        + detail + ". Stop the process using that port or choose another with \"port\" in the"
        + " config file, HEARTBEAT_PORT or -Dheartbeat.port.");
  }

  private void accept(NetSocket socket) {
    long now = System.nanoTime();
    Connection connection = new Connection(registry.newId(), this, socket, now);
    registry.add(connection);
    if (config.tcpKeepAlive()) {
      keepAlive.apply(SocketAccess.channelContext(socket).channel());
    }
    connection.start();
    LOG.info("Connection {} opened from {}", connection.id(), connection.remoteAddress());
    bus.publish(Addresses.CONNECTION_OPENED, LifecycleEvents.opened(connection.id(),
        connection.remoteAddress(), String.valueOf(socket.localAddress()),
        System.currentTimeMillis()));
  }

  private void scheduleFlush() {
    if (flushTimer >= 0) {
      vertx.cancelTimer(flushTimer);
    }
    lastFlushNanos = System.nanoTime();
    flushTimer = vertx.setPeriodic(config.tickMs(), t -> flushActivity());
  }

  /** Once per tick: send the activity batch, and notice if this event loop was stalled. */
  private void flushActivity() {
    long now = System.nanoTime();
    long tickNanos = config.tickMs() * 1_000_000;
    if (now - lastFlushNanos > tickNanos + tickNanos / 2) {
      stallRecoveryUntilNanos = now + tickNanos;
      LOG.warn("I/O instance {} could not run for {} ms (GC pause, CPU starvation or a stopped"
          + " process); holding timeout closes for one tick while it reads what queued up",
          ioKey, (now - lastFlushNanos) / 1_000_000);
    }
    lastFlushNanos = now;
    Buffer batch = registry.drainActivity(now);
    if (batch != null) {
      bus.send(Addresses.MONITOR_ACTIVITY, batch);
    }
  }

  private void sendSnapshot() {
    bus.send(Addresses.MONITOR_ACTIVITY, registry.snapshot(System.nanoTime()));
  }

  private void reconfigure(JsonObject json) {
    try {
      HeartbeatConfig next = HeartbeatConfig.fromJson(json);
      boolean tickChanged = next.tickMs() != config.tickMs();
      config = next;
      if (tickChanged) {
        scheduleFlush();
      }
    } catch (ConfigException e) {
      LOG.error("Ignoring invalid run-time configuration: {}", e.getMessage());
    }
  }

  /**
   * Whether a timeout close may go ahead: only if this loop has been running normally (a
   * stalled loop has not read what its sockets hold) and the connection has been silent for the
   * whole window.
   */
  boolean timeoutDue(Connection connection, long nowNanos) {
    long tickNanos = config.tickMs() * 1_000_000;
    boolean loopHealthy = nowNanos >= stallRecoveryUntilNanos
        && nowNanos - lastFlushNanos <= tickNanos + tickNanos / 2;
    return loopHealthy && nowNanos - connection.lastFrameNanos() >= config.windowMs() * 1_000_000;
  }

  HeartbeatConfig settings() {
    return config;
  }

  EventBus eventBus() {
    return bus;
  }

  ByteBuf emptyAck() {
    return emptyAck;
  }

  ByteBuf goodbyeFrame(String reason) {
    return encoder.encode(FrameType.GOODBYE, reason.getBytes(StandardCharsets.UTF_8));
  }

  void activity(Connection connection) {
    registry.markActive(connection);
  }

  void heartbeatReceived(Connection connection) {
    if (config.logHeartbeats()) {
      LOG.info("Heartbeat from connection {} ({})", connection.id(), connection.remoteAddress());
    }
  }

  void ackSent(Connection connection) {
    if (config.logHeartbeats()) {
      LOG.info("Ack sent to connection {} ({})", connection.id(), connection.remoteAddress());
    }
  }

  void publishData(Connection connection, String type, ByteBuf payload) {
    bus.publish(Addresses.CONNECTION_DATA, LifecycleEvents.data(connection.id(),
        type, ByteBufUtil.getBytes(payload)));
  }

  void goodbyeReceived(Connection connection, String reason) {
    LOG.info("Connection {} ({}) said goodbye: {}", connection.id(), connection.remoteAddress(),
        reason);
  }

  void protocolError(Connection connection, IllegalFrameException verdict) {
    protocolLog.warn("Connection {} from {} closed: protocol error: {}", connection.id(),
        connection.remoteAddress(), verdict.getMessage());
  }

  void ioError(Connection connection, Throwable error) {
    ioLog.warn("Connection {} from {}: socket error: {}", connection.id(),
        connection.remoteAddress(), error.getMessage());
  }

  void unexpectedError(Connection connection, Throwable error) {
    LOG.error("Connection {} from {}: unexpected error", connection.id(),
        connection.remoteAddress(), error);
  }

  void closed(Connection connection, String reason) {
    registry.remove(connection);
    long now = System.nanoTime();
    long sinceLastFrameMs = (now - connection.lastFrameNanos()) / 1_000_000;
    int missed = connection.missedTicksAtClose();
    if (missed < 0) {
      missed = (int) Math.min(config.maxMissed(), sinceLastFrameMs / config.tickMs());
    }
    if (!LifecycleEvents.PROTOCOL_ERROR.equals(reason)) {
      // Protocol errors were already logged, rate-limited: hostile input must not flood the log.
      LOG.info("Connection {} from {} closed: {} ({} ms since last frame)", connection.id(),
          connection.remoteAddress(), reason, sinceLastFrameMs);
    }
    bus.publish(Addresses.CONNECTION_CLOSED, LifecycleEvents.closed(connection.id(),
        connection.remoteAddress(), reason, sinceLastFrameMs, missed,
        (now - connection.openedNanos()) / 1_000_000));
  }
}
