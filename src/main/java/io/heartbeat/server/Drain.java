package io.heartbeat.server;

import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.config.HeartbeatConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graceful drain of one I/O instance, and its undoing: refuse new connections, send GOODBYE
 * "shutdown" to every connection at shutdownGoodbyesPerSecond, wait up to shutdownGraceMs for
 * the peers to leave, close the rest, and close the instance's part of the port once the last
 * connection is gone. {@link #undrain} takes connections again (reopening the port if the drain
 * had finished). On the instance's event loop.
 */
final class Drain implements IoCommands.DrainControl {

  private static final Logger LOG = LoggerFactory.getLogger(IoVerticle.class);

  private final int ioKey;
  private final Vertx vertx;
  private final ConnectionRegistry registry;
  private final ClientPort port;
  private final Supplier<HeartbeatConfig> config;
  private final GoodbyeFrames goodbyes;
  private final Supplier<Future<Integer>> reopen;
  private volatile boolean draining;
  private Promise<Void> drained = Promise.promise();
  private boolean portClosed;
  /** The close of this instance's part of the port, once the drain finished. */
  private Future<Void> portClosing = Future.succeededFuture();
  /** Bumped by every drain and undrain, so the timers of an undone drain do nothing. */
  private int generation;

  Drain(int ioKey, Vertx vertx, ConnectionRegistry registry, ClientPort port,
      Supplier<HeartbeatConfig> config, GoodbyeFrames goodbyes,
      Supplier<Future<Integer>> reopen) {
    this.ioKey = ioKey;
    this.vertx = vertx;
    this.registry = registry;
    this.port = port;
    this.config = config;
    this.goodbyes = goodbyes;
    this.reopen = reopen;
  }

  boolean isDraining() {
    return draining;
  }

  @Override
  public Future<Void> drain() {
    if (draining) {
      return drained.future();
    }
    draining = true;
    int current = ++generation;
    HeartbeatConfig settings = config.get();
    ArrayDeque<ConnectionCore> pending = new ArrayDeque<>(registry.all());
    LOG.info("I/O instance {} draining: GOODBYE \"shutdown\" to {} connections, then up to {} ms"
        + " for them to leave", ioKey, pending.size(), settings.shutdownGraceMs());
    sendGoodbyes(pending, Math.max(1, settings.shutdownGoodbyesPerSecond() / 100), current);
    vertx.setTimer(Math.max(1, settings.shutdownGraceMs()), t -> {
      if (current == generation) {
        closeEvery(null);
        closedOne();
      }
    });
    closedOne();
    return drained.future();
  }

  /**
   * Ends a drain; completes once the instance takes connections again (its part of the port
   * reopened, if the drain had finished). Until then it still refuses them.
   */
  @Override
  public Future<Void> undrain() {
    if (!draining) {
      return Future.succeededFuture();
    }
    generation++;
    drained.tryFail("The drain was undone");
    drained = Promise.promise();
    Future<Void> open = Future.succeededFuture();
    if (portClosed) {
      // After the close is done: a listen racing a close of the same port would join the
      // server being closed.
      open = portClosing.transform(ar -> reopen.get()).onSuccess(p -> portClosed = false)
          .mapEmpty();
    }
    return open.onSuccess(v -> {
      draining = false;
      LOG.info("I/O instance {}: drain undone, taking connections again", ioKey);
    });
  }

  /** Called after every close: the drain finishes with the last connection. */
  void closedOne() {
    if (draining && registry.size() == 0 && !drained.future().isComplete() && !portClosed) {
      Promise<Void> done = drained;
      portClosed = true;
      portClosing = port.close();
      portClosing.onComplete(ar -> {
        LOG.info("I/O instance {} drained", ioKey);
        done.tryComplete();
      });
    }
  }

  /** For undeploy: GOODBYE "shutdown" and close every connection, then close the port. */
  Future<Void> closeAll() {
    draining = true;
    generation++;
    closeEvery(goodbyes.of(LifecycleEvents.SHUTDOWN));
    portClosed = true;
    return port.close();
  }

  private void closeEvery(byte[] goodbye) {
    long now = System.nanoTime();
    for (ConnectionCore c : new ArrayList<>(registry.all())) {
      c.close(LifecycleEvents.SHUTDOWN, goodbye, now);
    }
  }

  private void sendGoodbyes(ArrayDeque<ConnectionCore> pending, int perSlice, int current) {
    byte[] frame = goodbyes.of(LifecycleEvents.SHUTDOWN);
    for (int i = 0; i < perSlice && !pending.isEmpty(); i++) {
      pending.poll().sayGoodbye(LifecycleEvents.SHUTDOWN, frame);
    }
    if (!pending.isEmpty()) {
      vertx.setTimer(10, t -> {
        if (current == generation) {
          sendGoodbyes(pending, perSlice, current);
        }
      });
    }
  }
}
