package io.heartbeat.client;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;

/**
 * One-shot Vert.x timers that keep count of how many are pending, so a test can prove that a
 * closed client left none behind. Confined to the client's context.
 */
final class Timers {

  private final Vertx vertx;
  private int pending;

  Timers(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Sets a one-shot timer of at least 1 ms (Vert.x refuses 0); returns its id. */
  long set(long delayMs, Handler<Long> handler) {
    pending++;
    return vertx.setTimer(Math.max(1, delayMs), id -> {
      pending--;
      handler.handle(id);
    });
  }

  /** Cancels timer {@code id} if it is still pending (ids below 0 mean "none"); returns -1. */
  long cancel(long id) {
    if (id >= 0 && vertx.cancelTimer(id)) {
      pending--;
    }
    return -1;
  }

  /** Timers set and neither fired nor cancelled. */
  int pending() {
    return pending;
  }
}
