package io.heartbeat.server;

import io.heartbeat.bus.ActivityBatch;
import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.ConnectionIds;
import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.metrics.HeartbeatMetrics;
import io.heartbeat.metrics.IoStats;
import io.heartbeat.protocol.FrameDecoder;
import io.heartbeat.protocol.FrameEncoder;
import io.heartbeat.protocol.Hello;
import io.heartbeat.session.SessionServices;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The I/O verticle: one instance per event loop, all sharing the client port. It wires the
 * instance together and runs its lifecycle: its {@link ClientPort} hands it accepted sockets,
 * each gets a {@link ConnectionCore}; {@link ConnectionEvents} counts, logs and publishes what
 * they do; {@link TickChores} runs once per tick (activity batch to the monitor, first-frame and
 * slow-consumer closes) and arbitrates the monitor's close and probe batches; {@link IoCommands}
 * answers application and admin commands.
 *
 * <p>Each instance has a key ({@link io.heartbeat.bus.ConnectionIds}) that is part of its
 * connections' ids and of its addresses {@link Addresses#ioInstance}, {@link Addresses#ioClose}
 * and {@link Addresses#ioProbe}.
 */
public final class IoVerticle extends VerticleBase implements Acceptor {

  private static final Logger LOG = LoggerFactory.getLogger(IoVerticle.class);

  private final int ioKey;
  private final ClientPort port;
  private final ConnectionLimits limits;
  private final HeartbeatMetrics metrics;
  private final ActivityRouter router;
  private final SessionServices sessionServices;
  private final IoStats stats = new IoStats();
  private final ConnectionRegistry registry;
  private final RateLimitedLog limitLog = new RateLimitedLog(LOG, 1);
  private volatile HeartbeatConfig config;
  private CorePolicy policy;
  private ConnectionCore.FrameDecoderFactory decoders;
  private GoodbyeFrames goodbyes;
  private TickChores chores;
  private ConnectionEvents events;
  private Drain drain;
  private EventBus bus;
  private volatile int actualPort = -1;
  private long tickTimer = -1;

  /**
   * @param config validated settings (the instance follows later run-time changes published on
   *     {@link Addresses#CONFIG_CHANGED})
   * @param ioKey this instance's key, unique among live I/O instances of the cluster
   * @param port this instance's part of the client port
   * @param limits connection limits shared by the instances of this process
   * @param metrics where this instance's counters are summed
   * @param router where activity batches and resync snapshots go; used by this instance only
   * @param sessionServices what the process's instances share to open sessions
   */
  public IoVerticle(HeartbeatConfig config, int ioKey, ClientPort port, ConnectionLimits limits,
      HeartbeatMetrics metrics, ActivityRouter router, SessionServices sessionServices) {
    this.config = config;
    this.ioKey = ioKey;
    this.port = port;
    this.limits = limits;
    this.metrics = metrics;
    this.router = router;
    this.sessionServices = sessionServices;
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
    return actualPort > 0 && !drain.isDraining();
  }

  @Override
  public HeartbeatConfig settings() {
    return config;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    long now = System.nanoTime();
    FrameEncoder encoder = new FrameEncoder(config.byteOrder());
    policy = new CorePolicy(config);
    int maxHelloBytes = Hello.FIXED_BYTES + Hello.MAX_CLIENT_ID_BYTES + config.authMaxTokenBytes();
    decoders = h -> new FrameDecoder(config.byteOrder(), config.maxPayloadBytes(), maxHelloBytes,
        h);
    goodbyes = new GoodbyeFrames(encoder);
    chores = new TickChores(registry, now);
    drain = new Drain(ioKey, vertx, registry, port, () -> config, goodbyes, this::reopen);
    SessionOpening sessions = new SessionOpening(sessionServices, encoder, goodbyes, bus,
        () -> config, stats, ConnectionIds.nodeOfKey(ioKey));
    events = new ConnectionEvents(registry, chores, limits, stats, metrics, bus, () -> config,
        policy, sessions, drain::closedOne);
    IoCommands commands = new IoCommands(ioKey, registry, encoder, bus, () -> config, goodbyes,
        drain, sessionServices.directory());
    List<Future<?>> ready = new ArrayList<>();
    ready.add(bus.consumer(Addresses.ioInstance(ioKey), commands::onOwnCommand).completion());
    ready.add(bus.consumer(Addresses.COMMAND, commands::onApplicationCommand).completion());
    MonitorCommands monitor = new MonitorCommands(chores, () -> config, goodbyes, stats);
    ready.add(bus.<Buffer>consumer(Addresses.ioClose(ioKey), monitor::onClose).completion());
    ready.add(bus.<Buffer>consumer(Addresses.ioProbe(ioKey), monitor::onProbe).completion());
    ready.add(bus.<JsonObject>consumer(Addresses.MONITOR_RESYNC, m -> router.snapshot(bus,
        m.body() == null ? new JsonObject() : m.body(), registry.snapshot(System.nanoTime())))
        .completion());
    ready.add(bus.<JsonObject>consumer(Addresses.CONFIG_CHANGED, m -> reconfigure(m.body()))
        .completion());
    scheduleTicks();
    return Future.all(ready).compose(v -> reopen());
  }

  /** Opens this instance's part of the port (at start, and again after an undone drain). */
  private Future<Integer> reopen() {
    return port.open(context, this)
        .recover(error -> Future.failedFuture(ListenError.explain(config, error)))
        .onSuccess(p -> actualPort = p);
  }

  @Override
  public Future<?> stop() {
    return drain.closeAll();
  }

  @Override
  public ConnectionCore accept(ConnectionOutput output, long nowNanos) {
    String host = output.remoteHost();
    if (drain.isDraining() || !limits.tryAcquire(host)) {
      stats.countRejected();
      limitLog.warn("Refused connection from {}: {}", output.remoteAddress(),
          drain.isDraining() ? "draining" : "connection limit reached (maxConnections "
              + config.maxConnections() + ", maxConnectionsPerIp "
              + config.maxConnectionsPerIp() + ")");
      return null;
    }
    ConnectionCore connection = new ConnectionCore(registry.newId(), output, events, policy,
        decoders, nowNanos);
    registry.add(connection);
    stats.countOpened(registry.size());
    if (config.firstFrameTimeoutMs() > 0) {
      chores.awaitFirstFrame(connection);
    }
    // DEBUG, not INFO: the close line names the connection, its peer and why; an INFO line per
    // accept cost ~1.5 KB of garbage each and a reconnect storm of 100,000 clients as many lines.
    LOG.debug("Connection {} opened from {}", connection.id(), output.remoteAddress());
    bus.publish(Addresses.CONNECTION_OPENED, LifecycleEvents.opened(connection.id(),
        output.remoteAddress(), output.localAddress(), System.currentTimeMillis()));
    return connection;
  }

  private void scheduleTicks() {
    if (tickTimer >= 0) {
      vertx.cancelTimer(tickTimer);
    }
    chores.restart(System.nanoTime());
    tickTimer = vertx.setPeriodic(config.tickMs(), t -> onTick());
  }

  private void onTick() {
    long now = System.nanoTime();
    long tickNanos = config.tickMs() * 1_000_000;
    long stalledMs = chores.tick(now, tickNanos);
    if (stalledMs > 0) {
      LOG.warn("I/O instance {} could not run for {} ms (GC pause, CPU starvation or a stopped"
          + " process); holding timeout closes for one tick while it reads what queued up",
          ioKey, stalledMs);
    }
    Buffer batch = chores.activityBatch(now);
    if (batch != null) {
      metrics.activityBatch(ActivityBatch.size(batch));
      router.activity(bus, batch);
    }
    chores.closeWithoutFirstFrame(now, config.firstFrameTimeoutMs() * 1_000_000);
    chores.closeSlowConsumers(now, tickNanos);
    sessionServices.expireFlaps(now / 1_000_000);
  }

  private void reconfigure(JsonObject json) {
    HeartbeatConfig next = HeartbeatConfig.fromChangeEvent(json, config, LOG);
    boolean tickChanged = next.tickMs() != config.tickMs();
    config = next;
    policy.apply(next);
    if (tickChanged) {
      scheduleTicks();
    }
  }
}
