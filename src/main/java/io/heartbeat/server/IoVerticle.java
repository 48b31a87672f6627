package io.heartbeat.server;

import io.heartbeat.bus.ActivityBatch;
import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.config.ConfigException;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.metrics.HeartbeatMetrics;
import io.heartbeat.metrics.IoStats;
import io.heartbeat.protocol.FrameEncoder;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.IllegalFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
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
 * its command address {@link Addresses#ioInstance(int)}. Once per tick it also enforces the
 * first-frame timeout and closes peers that stopped reading (slow-consumer).
 */
public final class IoVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(IoVerticle.class);

  private final int ioKey;
  private final ConnectionLimits limits;
  private final ClientListener listener;
  private final Takeover takeover = new Takeover();
  private final HeartbeatMetrics metrics;
  private final ActivityRouter router;
  private final IoStats stats = new IoStats();
  private volatile HeartbeatConfig config;
  private final ConnectionRegistry registry;
  private final RateLimitedLog protocolLog = new RateLimitedLog(LOG, 10);
  private final RateLimitedLog ioLog = new RateLimitedLog(LOG, 10);
  private final RateLimitedLog limitLog = new RateLimitedLog(LOG, 1);
  /**
   * Ids (not connections) of connections without a complete frame yet, oldest first: a closed
   * connection behind a slow head must not stay reachable from here.
   */
  private final ArrayDeque<Long> awaitingFirstFrame = new ArrayDeque<>();
  /** Connections whose peer stopped reading. */
  private final List<Connection> unwritable = new ArrayList<>();
  private FrameEncoder encoder;
  private TcpKeepAliveTuner keepAlive;
  private EventBus bus;
  private ContextInternal loop;
  private volatile int actualPort = -1;
  private volatile boolean draining;
  private final Promise<Void> drained = Promise.promise();
  private long flushTimer = -1;
  private long lastFlushNanos;
  private long stallRecoveryUntilNanos;

  /**
   * @param config validated settings (the instance follows later run-time changes published on
   *     {@link Addresses#CONFIG_CHANGED})
   * @param ioKey this instance's key, unique among live I/O instances of the cluster
   * @param listener the client port, shared by the instances of this process
   * @param limits connection limits shared by the instances of this process
   * @param metrics where this instance's counters are summed
   * @param router where activity batches and resync snapshots go (clustered: to the monitor
   *     each connection is assigned to); used by this instance only
   */
  public IoVerticle(HeartbeatConfig config, int ioKey, ClientListener listener,
      ConnectionLimits limits, HeartbeatMetrics metrics, ActivityRouter router) {
    this.config = config;
    this.ioKey = ioKey;
    this.listener = listener;
    this.limits = limits;
    this.metrics = metrics;
    this.router = router;
    this.registry = new ConnectionRegistry(ioKey);
    metrics.register(stats);
  }

  /** The port this instance listens on, or -1 before it listens. */
  public int actualPort() {
    return actualPort;
  }

  /** This instance's key. */
  public int ioKey() {
    return ioKey;
  }

  /** Whether it listens and is not draining. */
  public boolean isServing() {
    return actualPort > 0 && !draining;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    loop = (ContextInternal) context;
    encoder = new FrameEncoder(config.byteOrder());
    keepAlive = new TcpKeepAliveTuner(config);
    IoCommands commands = new IoCommands(this, registry, encoder);
    List<Future<?>> ready = new ArrayList<>();
    ready.add(bus.<JsonObject>consumer(Addresses.ioInstance(ioKey), commands::onOwnCommand)
        .completion());
    ready.add(bus.<JsonObject>consumer(Addresses.COMMAND, commands::onApplicationCommand)
        .completion());
    ready.add(bus.<JsonObject>consumer(Addresses.MONITOR_RESYNC, m -> sendSnapshot(m.body()))
        .completion());
    ready.add(bus.<JsonObject>consumer(Addresses.CONFIG_CHANGED, m -> reconfigure(m.body()))
        .completion());
    scheduleFlush();
    return Future.all(ready).compose(v -> listener.join(vertx, this))
        .recover(error -> Future.failedFuture(listenError(error)))
        .onSuccess(port -> actualPort = port);
  }

  @Override
  public Future<?> stop() {
    draining = true;
    for (Connection c : new ArrayList<>(registry.all())) {
      c.close(LifecycleEvents.SHUTDOWN, true);
    }
    return listener.leave(this);
  }

  /**
   * Graceful drain: refuse new connections, send GOODBYE "shutdown" to every connection at
   * shutdownGoodbyesPerSecond, wait up to shutdownGraceMs for the peers to leave, close the rest
   * and stop listening. Completes when every connection is closed.
   *
   * <p>The listening socket closes when the last instance of the process has drained.
   */
  Future<Void> drain() {
    if (draining) {
      return drained.future();
    }
    draining = true;
    ArrayDeque<Connection> pending = new ArrayDeque<>(registry.all());
    LOG.info("I/O instance {} draining: GOODBYE \"shutdown\" to {} connections, then up to {} ms"
        + " for them to leave", ioKey, pending.size(), config.shutdownGraceMs());
    int perSlice = Math.max(1, config.shutdownGoodbyesPerSecond() / 100);
    sendGoodbyes(pending, perSlice);
    long graceTimer = vertx.setTimer(Math.max(1, config.shutdownGraceMs()), t -> {
      for (Connection c : new ArrayList<>(registry.all())) {
        c.close(LifecycleEvents.SHUTDOWN, false);
      }
      finishDrainIfEmpty();
    });
    drained.future().onComplete(ar -> vertx.cancelTimer(graceTimer));
    finishDrainIfEmpty();
    return drained.future();
  }

  private void finishDrainIfEmpty() {
    if (draining && registry.size() == 0 && !drained.future().isComplete()) {
      listener.leave(this).onComplete(ar -> {
        LOG.info("I/O instance {} drained", ioKey);
        drained.tryComplete();
      });
    }
  }

  private void sendGoodbyes(ArrayDeque<Connection> pending, int perSlice) {
    for (int i = 0; i < perSlice && !pending.isEmpty(); i++) {
      pending.poll().sayGoodbye(LifecycleEvents.SHUTDOWN);
    }
    if (!pending.isEmpty()) {
      vertx.setTimer(10, t -> sendGoodbyes(pending, perSlice));
    }
  }

  private Throwable listenError(Throwable error) {
    String detail = error.getMessage() == null ? error.toString() : error.getMessage();
    String fix = config.tlsEnabled()
        ? " Check tls.certPath, tls.keyPath and tls.clientCaPath, and that the port is free"
            + " (\"port\" in the config file, HEARTBEAT_PORT or -Dheartbeat.port)."
        : " Stop the process using that port or choose another with \"port\" in the config"
            + " file, HEARTBEAT_PORT or -Dheartbeat.port.";
    return new ConfigException("Cannot listen on " + config.host() + ":" + config.port() + ": "
        + detail + "." + fix);
  }

  /** The event loop this instance's sockets are registered on. */
  EventLoop eventLoop() {
    return loop.nettyEventLoop();
  }

  /**
   * The handler the listener puts in an accepted socket's pipeline: when the socket is registered
   * on this instance's event loop, before its first read, the instance takes it over.
   */
  ChannelHandler takeover() {
    return takeover;
  }

  /**
   * Netty calls {@code handlerAdded} of a handler added before registration once the socket is
   * registered, on its event loop, before it is active: the moment to take it over. (Netty's
   * ChannelInitializer does the same but keeps a concurrent set entry per socket.)
   */
  @ChannelHandler.Sharable
  private final class Takeover extends ChannelHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ctx.pipeline().remove(this);
      loop.dispatch(ctx.channel(), IoVerticle.this::accept);
    }
  }

  private void accept(Channel socket) {
    String host = Connection.remoteHost(socket);
    if (draining || !limits.tryAcquire(host)) {
      stats.countRejected();
      limitLog.warn("Refused connection from {}: {}",
          Connection.hostAndPort(socket.remoteAddress()), draining ? "draining" : "connection limit reached (maxConnections "
              + config.maxConnections() + ", maxConnectionsPerIp " + config.maxConnectionsPerIp()
              + ")");
      socket.close();
      return;
    }
    long now = System.nanoTime();
    Connection connection = new Connection(registry.newId(), this, socket, now);
    registry.add(connection);
    stats.countOpened(registry.size());
    if (config.tcpKeepAlive()) {
      keepAlive.apply(socket);
    }
    if (config.firstFrameTimeoutMs() > 0) {
      awaitingFirstFrame.add(connection.id());
    }
    connection.start();
    String remote = connection.remoteAddress();
    // DEBUG, not INFO: the close line names the connection, its peer and why; an INFO line per
    // accept cost ~1.5 KB of garbage each and a reconnect storm of 100,000 clients as many lines.
    LOG.debug("Connection {} opened from {}", connection.id(), remote);
    bus.publish(Addresses.CONNECTION_OPENED, LifecycleEvents.opened(connection.id(), remote,
        Connection.hostAndPort(socket.localAddress()), System.currentTimeMillis()));
  }

  private void scheduleFlush() {
    if (flushTimer >= 0) {
      vertx.cancelTimer(flushTimer);
    }
    lastFlushNanos = System.nanoTime();
    flushTimer = vertx.setPeriodic(config.tickMs(), t -> onTick());
  }

  /**
   * Once per tick: notice if this event loop was stalled, send the activity batch, enforce the
   * first-frame timeout and close peers that stopped reading.
   */
  private void onTick() {
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
      metrics.activityBatch(ActivityBatch.size(batch));
      router.activity(bus, batch);
    }
    closeWithoutFirstFrame(now);
    closeSlowConsumers(now, tickNanos);
  }

  private void closeWithoutFirstFrame(long now) {
    long limitNanos = config.firstFrameTimeoutMs() * 1_000_000;
    while (!awaitingFirstFrame.isEmpty()) {
      Connection oldest = registry.get(awaitingFirstFrame.peek());
      if (oldest == null || oldest.isClosing() || oldest.hasCompletedFrame()) {
        awaitingFirstFrame.poll();
      } else if (limitNanos > 0 && now - oldest.openedNanos() >= limitNanos) {
        awaitingFirstFrame.poll();
        oldest.close(LifecycleEvents.FIRST_FRAME_TIMEOUT, false);
      } else {
        break;
      }
    }
  }

  private void closeSlowConsumers(long now, long tickNanos) {
    for (Iterator<Connection> it = unwritable.iterator(); it.hasNext(); ) {
      Connection c = it.next();
      if (c.isClosing() || c.unwritableSinceNanos == 0) {
        it.remove();
      } else if (c.socket().isWritable()) {
        c.unwritableSinceNanos = 0;
        it.remove();
      } else if (now - c.unwritableSinceNanos >= tickNanos) {
        it.remove();
        c.close(LifecycleEvents.SLOW_CONSUMER, false);
      }
    }
  }

  private void sendSnapshot(JsonObject request) {
    router.snapshot(bus, request == null ? new JsonObject() : request,
        registry.snapshot(System.nanoTime()));
  }

  private void reconfigure(JsonObject json) {
    HeartbeatConfig next = HeartbeatConfig.fromChangeEvent(json, config, LOG);
    boolean tickChanged = next.tickMs() != config.tickMs();
    config = next;
    if (tickChanged) {
      scheduleFlush();
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

  FrameEncoder encoder() {
    return encoder;
  }

  ByteBuf goodbyeFrame(String reason) {
    return encoder.encode(FrameType.GOODBYE, reason.getBytes(StandardCharsets.UTF_8));
  }

  void activity(Connection connection) {
    registry.markActive(connection);
  }

  void unwritable(Connection connection) {
    unwritable.add(connection);
  }

  void heartbeatReceived(Connection connection) {
    stats.countHeartbeat();
    if (config.logHeartbeats()) {
      LOG.info("Heartbeat from connection {} ({})", connection.id(), connection.remoteAddress());
    }
  }

  void ackSent(Connection connection) {
    stats.countAck();
    if (config.logHeartbeats()) {
      LOG.info("Ack sent to connection {} ({})", connection.id(), connection.remoteAddress());
    }
  }

  void probeSent() {
    stats.countProbe();
  }

  void publishData(Connection connection, String type, ByteBuf payload) {
    if ("DATA".equals(type)) {
      stats.countData();
    }
    JsonObject event = LifecycleEvents.data(connection.id(), type, ByteBufUtil.getBytes(payload));
    loop.dispatch(event, e -> bus.publish(Addresses.CONNECTION_DATA, e));
  }

  void goodbyeReceived(Connection connection, String reason) {
    LOG.info("Connection {} ({}) said goodbye: {}", connection.id(), connection.remoteAddress(),
        reason);
  }

  void protocolError(Connection connection, IllegalFrameException verdict) {
    stats.countProtocolError(verdict.reason());
    protocolLog.warn("Connection {} from {} closed: protocol error: {}", connection.id(),
        connection.remoteAddress(), verdict.getMessage());
  }

  void ioError(Connection connection, Throwable error) {
    ioLog.warn("Connection {} from {}: socket error: {}", connection.id(),
        connection.remoteAddress(), error.getMessage() == null ? error.toString()
            : error.getMessage());
  }

  void unexpectedError(Connection connection, Throwable error) {
    LOG.error("Connection {} from {}: unexpected error", connection.id(),
        connection.remoteAddress(), error);
  }

  /** Called by the connection's handler when its socket closed, whatever the cause. */
  void closed(Connection connection, String reason) {
    loop.dispatch(v -> closedOnContext(connection, reason));
  }

  private void closedOnContext(Connection connection, String reason) {
    registry.remove(connection);
    limits.release(connection.remoteHost());
    stats.countClosed(reason, registry.size());
    long now = connection.closeDecidedNanos() != 0 ? connection.closeDecidedNanos()
        : System.nanoTime();
    long sinceLastFrameMs = (now - connection.lastFrameNanos()) / 1_000_000;
    int missed = connection.missedTicksAtClose();
    if (missed < 0) {
      missed = (int) Math.min(config.maxMissed(), sinceLastFrameMs / config.tickMs());
    }
    if (LifecycleEvents.TIMEOUT.equals(reason)) {
      metrics.detectionDelay(sinceLastFrameMs);
    }
    if (!LifecycleEvents.PROTOCOL_ERROR.equals(reason)) {
      // Protocol errors were already logged, rate-limited: hostile input must not flood the log.
      LOG.info("Connection {} from {} closed: {} ({} ms since last frame)", connection.id(),
          connection.remoteAddress(), reason, sinceLastFrameMs);
    }
    bus.publish(Addresses.CONNECTION_CLOSED, LifecycleEvents.closed(connection.id(),
        connection.remoteAddress(), reason, sinceLastFrameMs, missed,
        (now - connection.openedNanos()) / 1_000_000));
    finishDrainIfEmpty();
  }
}
