package io.heartbeat.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the Heartbeat service on a Vert.x {@link NetClient}: keeps one connection alive,
 * shows life with heartbeats only when the link is quiet, judges the server dead after
 * serverTimeoutMs of silence and reconnects with exponential backoff and full jitter (see
 * {@link HeartbeatClientOptions}).
 *
 * <p>Threading: the client lives on the Vert.x context of the thread that created it (an event
 * loop when created inside a verticle; a new one otherwise). Its methods may be called from any
 * thread; every handler runs on that context. Every asynchronous call returns a {@link Future}.
 *
 * <p>Servers and failover: the client connects to the servers of
 * {@link HeartbeatClientOptions#setServers} in list order. A <em>pass</em> tries each server of
 * the list once, in order, wrapping around the end of the list; a failed connect (refused,
 * timed out, TLS handshake failed) moves on to the next server at once, without delay. Only when
 * every server of a pass has failed does the client wait, and it waits one {@link Backoff} delay
 * per failed pass: pass n (from 0) is followed by a delay drawn from 0..min(reconnectMaxDelayMs,
 * reconnectInitialDelayMs x reconnectMultiplier^n); the next pass starts with the same server as
 * the failed one. The first pass of {@link #connect()} starts with the first server. When an
 * established connection ends, the client waits one delay of step 0 (or the shutdown jitter, see
 * below) and starts a pass with the server <em>after</em> the one it was connected to, so a
 * server that accepts connections but then stays silent (a stopped process whose kernel still
 * accepts) cannot hold the client; with one server that is the same server.
 *
 * <p>Reconnect policy: after GOODBYE "shutdown" the first attempt waits a random 0..
 * shutdownJitterMs instead of the step-0 delay; after GOODBYE "kicked" the client stops unless
 * reconnectAfterKicked (likewise "replaced" and "unauthorized", see below); after
 * maxReconnectAttempts consecutive failed passes (if above 0) it
 * stops. A stopped client (kicked, or given up) can be started again with {@link #connect()};
 * a closed one cannot.
 *
 * <p>Liveness of the server: see {@link HeartbeatClientOptions#setServerTimeoutMs} for what the
 * client needs from the server to tell a live one from a dead one, in particular when the server
 * does not ack heartbeats.
 *
 * <p>Sessions (protocol 1.1): with {@link HeartbeatClientOptions#setClientId a client id}, the
 * first frame of every connection is a HELLO, and the connection is open (connected handlers,
 * {@link #isConnected()}, {@link #send}) only once the server's WELCOME has arrived; no WELCOME
 * within serverTimeoutMs of the HELLO is a {@link DisconnectReason.Kind#SERVER_TIMEOUT}. From the
 * WELCOME on the client heartbeats at the granted interval and judges the server dead after
 * {@link SessionGrant#serverDeadAfterMs()} of silence ({@link #session()} has the grant).
 * GOODBYE "replaced" and "unauthorized" stop the client unless reconnectAfterReplaced /
 * reconnectAfterUnauthorized; "flapping" and "limit" count as a failed pass (one growing backoff
 * step each); any other end before the WELCOME counts as a failed connect of that server.
 *
 * <pre>{@code
 * HeartbeatClient client = HeartbeatClient.create(vertx, new HeartbeatClientOptions()
 *         .setHost("127.0.0.1").setPort(15000)
 *         .setHeartbeatIntervalMs(3000).setServerTimeoutMs(15000))
 *     .connectionOpenedHandler(c -> log.info("connected to {}, reconnect={}", c.server(),
 *         c.reconnect()))
 *     .disconnectedHandler(reason -> log.info("disconnected: {}", reason))
 *     .reconnectScheduledHandler(r -> log.info("retry in {} ms", r.delayMs()))
 *     .dataHandler(payload -> handle(payload));
 * client.connect()
 *     .compose(v -> client.send(Buffer.buffer("hello")))
 *     .onFailure(e -> log.warn("not sent: {}", e.getMessage()));
 * // later: client.close();
 * }</pre>
 */
public final class HeartbeatClient implements ClientSession.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatClient.class);

  /** OPENING: a session connection whose HELLO went out and whose WELCOME has not come. */
  private enum State { NEW, CONNECTING, OPENING, CONNECTED, WAITING, STOPPED, CLOSED }

  private final HeartbeatClientOptions options;
  private final Context context;
  private final ServerConnector connector;
  private final ServerCursor servers;
  private final Backoff backoff;
  private final ReconnectPolicy policy;
  private final Timers timers;
  private final Promise<Void> closed = Promise.promise();
  /**
   * Completes at the first connection of the current run (since the last connect()); replaced,
   * on the context, only when a stopped client starts again. Volatile for connect() from other
   * threads.
   */
  private volatile Promise<Void> firstConnect = Promise.promise();

  private volatile Handler<Void> connectedHandler;
  private volatile Handler<ConnectionOpened> connectionOpenedHandler;
  private volatile Handler<DisconnectReason> disconnectedHandler;
  private volatile Handler<ReconnectScheduled> reconnectScheduledHandler;
  private volatile Handler<Buffer> dataHandler;
  private volatile Handler<Buffer> ackHandler;
  private volatile Supplier<Buffer> heartbeatPayload;

  private State state = State.NEW;
  private ClientSession session;
  /** The server of the current connection. */
  private ServerAddress sessionTarget;
  /** The current connection's grant; volatile for {@link #session()} from any thread. */
  private volatile SessionGrant grant;
  private long reconnectTimer = -1;
  /** Consecutive failed passes since the last successful connection. */
  private int failures;
  /** Connections opened by this client object. */
  private long connections;

  private HeartbeatClient(Vertx vertx, HeartbeatClientOptions options, DoubleSupplier random) {
    this.options = new HeartbeatClientOptions(options).validate();
    this.context = vertx.getOrCreateContext();
    this.connector = new ServerConnector(vertx, this.options);
    this.servers = new ServerCursor(this.options.getServers());
    this.backoff = Backoff.of(this.options, random);
    this.policy = new ReconnectPolicy(this.options);
    this.timers = new Timers(vertx);
  }

  /**
   * A new, unconnected client; call {@link #connect()}.
   *
   * @throws IllegalArgumentException if the options break a rule between them, or a TLS file
   *     they name is not readable
   */
  public static HeartbeatClient create(Vertx vertx, HeartbeatClientOptions options) {
    return new HeartbeatClient(vertx, options, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** As {@link #create(Vertx, HeartbeatClientOptions)}, with the random source of the jitter. */
  public static HeartbeatClient create(Vertx vertx, HeartbeatClientOptions options,
      DoubleSupplier random) {
    return new HeartbeatClient(vertx, options, random);
  }

  /**
   * Starts connecting, with a pass starting at the first server. The future completes at the
   * first successful connection; it fails if the client is closed first or gives up
   * (maxReconnectAttempts). Failed passes are retried with backoff meanwhile. While the client
   * runs, calling it again returns a future with the same outcome (on the client's context, the
   * same future). On a stopped client (kicked without reconnectAfterKicked, or given up) it
   * starts a new run, with the backoff and the failure count reset, and returns a new future.
   * On a closed client the future fails.
   */
  public Future<Void> connect() {
    if (Vertx.currentContext() == context) {
      startRun();
      return firstConnect.future();
    }
    Future<Void> current = firstConnect.future();
    if (!current.isComplete()) {
      // The run in progress (or about to start): its own future, as before restarts existed.
      context.runOnContext(v -> startRun());
      return current;
    }
    Promise<Void> result = Promise.promise();
    context.runOnContext(v -> {
      startRun();
      firstConnect.future().onComplete(result);
    });
    return result.future();
  }

  /** Starts a run if the client is new, or stopped (a restart); otherwise does nothing. */
  private void startRun() {
    if (state == State.STOPPED) {
      failures = 0;
      backoff.reset();
      servers.restart();
      if (firstConnect.future().isComplete()) {
        firstConnect = Promise.promise();
      }
      state = State.NEW;
    }
    if (state == State.NEW) {
      attempt();
    }
  }

  /**
   * Sends {@code payload} as a DATA frame. Fails with {@link IllegalStateException} when not
   * connected, {@link IllegalArgumentException} when longer than maxPayloadBytes; succeeds when
   * the bytes are handed to the socket.
   */
  public Future<Void> send(Buffer payload) {
    if (payload.length() > options.getMaxPayloadBytes()) {
      return Future.failedFuture(new IllegalArgumentException("payload of " + payload.length()
          + " bytes is above maxPayloadBytes " + options.getMaxPayloadBytes()));
    }
    Promise<Void> sent = Promise.promise();
    onContext(() -> {
      if (session == null || state != State.CONNECTED) {
        sent.fail(new IllegalStateException("not connected (" + state + ")"));
      } else {
        session.send(payload).onComplete(sent);
      }
    });
    return sent.future();
  }

  /**
   * Says GOODBYE "closed", closes the connection, cancels every timer and releases the socket
   * client; no reconnect follows. The disconnected handler hears
   * {@link DisconnectReason.Kind#CLOSED_BY_APPLICATION} if a connection was open. The future
   * completes when everything is released; calling it again returns the same future.
   */
  public Future<Void> close() {
    onContext(() -> {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      reconnectTimer = timers.cancel(reconnectTimer);
      firstConnect.tryFail(new IllegalStateException("client closed"));
      if (session != null) {
        session.close(DisconnectReason.of(DisconnectReason.Kind.CLOSED_BY_APPLICATION, null));
      } else {
        release();
      }
    });
    return closed.future();
  }

  /**
   * Whether a connection is open right now (for a client with a client id: its WELCOME has
   * arrived).
   */
  public boolean isConnected() {
    return state == State.CONNECTED;
  }

  /**
   * What the server granted the current connection in its WELCOME (protocol 1.1); null while
   * not connected and for a version 1 client (no client id).
   */
  public SessionGrant session() {
    return grant;
  }

  /** Called on each successful connection. */
  public HeartbeatClient connectedHandler(Handler<Void> handler) {
    this.connectedHandler = handler;
    return this;
  }

  /**
   * Called on each successful connection with which server it is and whether it is a reconnect;
   * runs just after the {@link #connectedHandler(Handler)}.
   */
  public HeartbeatClient connectionOpenedHandler(Handler<ConnectionOpened> handler) {
    this.connectionOpenedHandler = handler;
    return this;
  }

  /** Called when a connection ends, with the reason. */
  public HeartbeatClient disconnectedHandler(Handler<DisconnectReason> handler) {
    this.disconnectedHandler = handler;
    return this;
  }

  /** Called whenever a reconnect attempt is scheduled, with its delay. */
  public HeartbeatClient reconnectScheduledHandler(Handler<ReconnectScheduled> handler) {
    this.reconnectScheduledHandler = handler;
    return this;
  }

  /** Called with the payload of every DATA frame from the server (a copy the handler owns). */
  public HeartbeatClient dataHandler(Handler<Buffer> handler) {
    this.dataHandler = handler;
    return this;
  }

  /** Called with the payload of every HEARTBEAT_ACK (empty when the server sends none). */
  public HeartbeatClient ackHandler(Handler<Buffer> handler) {
    this.ackHandler = handler;
    return this;
  }

  /** Supplies the payload of each heartbeat sent (null or an empty buffer for none). */
  public HeartbeatClient heartbeatPayloadSupplier(Supplier<Buffer> supplier) {
    this.heartbeatPayload = supplier;
    return this;
  }

  /** Timers pending (heartbeat, timeout, reconnect); for tests: 0 after {@link #close()}. */
  int pendingTimers() {
    return timers.pending();
  }

  /** Server probes the current connection has answered; for tests. */
  long probesAnswered() {
    return session == null ? 0 : session.probesAnswered();
  }

  private void attempt() {
    state = State.CONNECTING;
    ServerAddress target = servers.current();
    connector.connect(target).onComplete(ar -> {
      if (state == State.CLOSED) {
        if (ar.succeeded()) {
          ar.result().close();
        }
        return;
      }
      if (ar.succeeded()) {
        onConnected(ar.result(), target);
      } else {
        onConnectFailed(target, ar.cause());
      }
    });
  }

  private void onConnectFailed(ServerAddress target, Throwable cause) {
    onConnectFailed(target, ServerConnector.describe(cause), cause);
  }

  private void onConnectFailed(ServerAddress target, String why, Throwable cause) {
    LOG.debug("Connect to {} failed: {}", target, why);
    if (!servers.failed(why)) {
      attempt();  // the same pass goes on with the next server, at once
      return;
    }
    passFailed(servers.endPass(), cause);
  }

  /** Every server of a pass failed (or one refused the session): back off, or give up. */
  private void passFailed(String causes, Throwable cause) {
    failures++;
    int max = options.getMaxReconnectAttempts();
    if (max > 0 && failures >= max) {
      state = State.STOPPED;
      LOG.warn("Giving up after {} failed passes over {}: {}", failures, options.getServers(),
          causes);
      firstConnect.tryFail(cause);
      return;
    }
    scheduleReconnect(backoff.boundMs(backoff.attempts()), backoff.nextDelayMs(),
        "connect failed: " + causes);
  }

  private void onConnected(NetSocket socket, ServerAddress target) {
    sessionTarget = target;
    session = new ClientSession(socket, options, timers, this, heartbeatPayload);
    if (options.getClientId() == null) {
      session.start();
      opened(null);
    } else {
      state = State.OPENING;  // open at the WELCOME; until then it may still fail as a connect
      session.start();
    }
  }

  @Override
  public void onOpened(ClientSession opened, SessionGrant granted) {
    if (opened == session && state == State.OPENING) {
      opened(granted);
    }
  }

  /** The connection is open (version 1: TCP and TLS done; session: WELCOME received). */
  private void opened(SessionGrant granted) {
    state = State.CONNECTED;
    grant = granted;
    failures = 0;
    backoff.reset();
    servers.connected();
    connections++;
    Handler<Void> handler = connectedHandler;
    if (handler != null) {
      handler.handle(null);
    }
    Handler<ConnectionOpened> opened = connectionOpenedHandler;
    if (opened != null) {
      opened.handle(new ConnectionOpened(sessionTarget, servers.index(), connections > 1,
          connections, granted));
    }
    firstConnect.tryComplete();
  }

  @Override
  public void onData(Buffer payload) {
    Handler<Buffer> handler = dataHandler;
    if (handler != null) {
      handler.handle(payload);
    }
  }

  @Override
  public void onAck(Buffer payload) {
    Handler<Buffer> handler = ackHandler;
    if (handler != null) {
      handler.handle(payload);
    }
  }

  @Override
  public void onClosed(ClientSession ended, DisconnectReason reason) {
    boolean wasOpen = state != State.OPENING;
    session = null;
    grant = null;
    LOG.debug("Disconnected from {}: {}", sessionTarget, reason);
    if (state == State.CLOSED) {
      notifyDisconnected(reason);
      release();
      return;
    }
    ReconnectPolicy.Action action = policy.after(reason, wasOpen);
    // Settle the state before the handler runs, so that it sees isConnected() false and may
    // call connect() on a stopped client or close().
    state = action == ReconnectPolicy.Action.STOP ? State.STOPPED : State.WAITING;
    if (state == State.STOPPED) {
      LOG.info("Stopped after {} from {}", reason, sessionTarget);
      firstConnect.tryFail(new IllegalStateException("the server ended the connection: "
          + reason));
    }
    notifyDisconnected(reason);
    if (state != State.WAITING) {
      return;  // stopped, closed, or started again by the handler
    }
    switch (action) {
      case NEXT_SERVER -> onConnectFailed(sessionTarget, reason.toString(),
          new IllegalStateException("session not opened: " + reason));
      case FAILED_PASS -> {
        servers.failed(reason.toString());
        passFailed(servers.endPass(), new IllegalStateException("session refused: " + reason));
      }
      case SHUTDOWN_JITTER -> {
        servers.disconnected();
        long bound = options.getShutdownJitterMs();
        scheduleReconnect(bound, backoff.jitter(bound), reason.toString());
      }
      default -> {
        servers.disconnected();
        scheduleReconnect(backoff.boundMs(backoff.attempts()), backoff.nextDelayMs(),
            reason.toString());
      }
    }
  }

  private void notifyDisconnected(DisconnectReason reason) {
    Handler<DisconnectReason> handler = disconnectedHandler;
    if (handler != null) {
      handler.handle(reason);
    }
  }

  private void scheduleReconnect(long boundMs, long delayMs, String cause) {
    state = State.WAITING;
    reconnectTimer = timers.set(delayMs, id -> {
      reconnectTimer = -1;
      if (state == State.WAITING) {
        attempt();
      }
    });
    Handler<ReconnectScheduled> handler = reconnectScheduledHandler;
    if (handler != null) {
      handler.handle(new ReconnectScheduled(failures + 1, delayMs, boundMs, cause));
    }
  }

  private void release() {
    connector.close().onComplete(ar -> closed.tryComplete());
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
