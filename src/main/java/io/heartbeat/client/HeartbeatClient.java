package io.heartbeat.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
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
 * <p>Reconnect policy: after a lost connection or a failed attempt the next attempt waits a
 * {@link Backoff} delay; after GOODBYE "shutdown" the first attempt waits a random 0..
 * shutdownJitterMs instead; after GOODBYE "kicked" the client stops unless
 * reconnectAfterKicked; after maxReconnectAttempts consecutive failures (if above 0) it stops.
 *
 * <pre>{@code
 * HeartbeatClient client = HeartbeatClient.create(vertx, new HeartbeatClientOptions()
 *         .setHost("127.0.0.1").setPort(15000)
 *         .setHeartbeatIntervalMs(3000).setServerTimeoutMs(15000))
 *     .connectedHandler(v -> log.info("connected"))
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

  private enum State { NEW, CONNECTING, CONNECTED, WAITING, STOPPED, CLOSED }

  private final HeartbeatClientOptions options;
  private final Context context;
  private final NetClient netClient;
  private final Backoff backoff;
  private final Timers timers;
  private final Promise<Void> firstConnect = Promise.promise();
  private final Promise<Void> closed = Promise.promise();

  private volatile Handler<Void> connectedHandler;
  private volatile Handler<DisconnectReason> disconnectedHandler;
  private volatile Handler<ReconnectScheduled> reconnectScheduledHandler;
  private volatile Handler<Buffer> dataHandler;
  private volatile Handler<Buffer> ackHandler;
  private volatile Supplier<Buffer> heartbeatPayload;

  private State state = State.NEW;
  private ClientSession session;
  private long reconnectTimer = -1;
  /** Consecutive failed attempts since the last successful connection. */
  private int failures;

  private HeartbeatClient(Vertx vertx, HeartbeatClientOptions options, DoubleSupplier random) {
    this.options = new HeartbeatClientOptions(options).validate();
    this.context = vertx.getOrCreateContext();
    this.netClient = vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout(options.getConnectTimeoutMs())
        .setTcpNoDelay(true));
    this.backoff = Backoff.of(this.options, random);
    this.timers = new Timers(vertx);
  }

  /**
   * A new, unconnected client; call {@link #connect()}.
   *
   * @throws IllegalArgumentException if the options break a rule between them
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
   * Starts connecting. The future completes at the first successful connection; it fails if the
   * client is closed first or gives up (maxReconnectAttempts). Failed attempts are retried with
   * backoff meanwhile. Calling it again returns the same future.
   */
  public Future<Void> connect() {
    onContext(() -> {
      if (state == State.NEW) {
        attempt();
      }
    });
    return firstConnect.future();
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
      if (session == null) {
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

  /** Whether a connection is open right now. */
  public boolean isConnected() {
    return state == State.CONNECTED;
  }

  /** Called on each successful connection. */
  public HeartbeatClient connectedHandler(Handler<Void> handler) {
    this.connectedHandler = handler;
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

  private void attempt() {
    state = State.CONNECTING;
    netClient.connect(options.getPort(), options.getHost()).onComplete(ar -> {
      if (state == State.CLOSED) {
        if (ar.succeeded()) {
          ar.result().close();
        }
        return;
      }
      if (ar.succeeded()) {
        onConnected(ar.result());
      } else {
        failures++;
        int max = options.getMaxReconnectAttempts();
        if (max > 0 && failures >= max) {
          state = State.STOPPED;
          LOG.warn("Giving up on {}:{} after {} failed attempts: {}", options.getHost(),
              options.getPort(), failures, ar.cause().getMessage());
          firstConnect.tryFail(ar.cause());
          return;
        }
        scheduleReconnect(backoff.boundMs(backoff.attempts()), backoff.nextDelayMs(),
            "connect failed: " + ar.cause().getMessage());
      }
    });
  }

  private void onConnected(NetSocket socket) {
    state = State.CONNECTED;
    failures = 0;
    backoff.reset();
    session = new ClientSession(socket, options, timers, this, heartbeatPayload);
    session.start();
    Handler<Void> handler = connectedHandler;
    if (handler != null) {
      handler.handle(null);
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
    session = null;
    LOG.debug("Disconnected from {}:{}: {}", options.getHost(), options.getPort(), reason);
    Handler<DisconnectReason> handler = disconnectedHandler;
    if (handler != null) {
      handler.handle(reason);
    }
    if (state == State.CLOSED) {
      release();
    } else if (reason.isGoodbye(DisconnectReason.GOODBYE_KICKED)
        && !options.isReconnectAfterKicked()) {
      state = State.STOPPED;
    } else if (reason.isGoodbye(DisconnectReason.GOODBYE_SHUTDOWN)
        && options.getShutdownJitterMs() > 0) {
      long bound = options.getShutdownJitterMs();
      scheduleReconnect(bound, backoff.jitter(bound), reason.toString());
    } else {
      scheduleReconnect(backoff.boundMs(backoff.attempts()), backoff.nextDelayMs(),
          reason.toString());
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
    netClient.close().onComplete(ar -> closed.tryComplete());
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
