package io.heartbeat.tools.takeover;

import io.heartbeat.bus.ConnectionIds;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives the takeovers: for client id {@code dev-i}, session A on the first node, its WELCOME,
 * then session B with the same id on the second node, until B is welcomed and A's stream has
 * ended (or a bound passes). At most {@code concurrency} takeovers are in flight. The kept
 * sessions stay open (heartbeating) until {@link #closeKept()}.
 */
final class TakeoverRun {

  /** One takeover as the clients saw it; times are {@link System#nanoTime()}, 0 when absent. */
  record Takeover(int index, long welcomeB, long goodbyeA, String goodbyeReason, long eofA,
      boolean keptAtEofA, String failure, String nodes) {
  }

  private final Vertx clients;
  private final NetClient net;
  private final int oldPort;
  private final int newPort;
  private final long boundMs;
  private final List<Takeover> done = Collections.synchronizedList(new ArrayList<>());
  private final List<RawSession> kept = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger next = new AtomicInteger();

  TakeoverRun(Vertx clients, int oldPort, int newPort, long boundMs) {
    this.clients = clients;
    this.net = clients.createNetClient();
    this.oldPort = oldPort;
    this.newPort = newPort;
    this.boundMs = boundMs;
  }

  static String clientId(int i) {
    return "dev-" + i;
  }

  /** Runs {@code size} takeovers, {@code concurrency} at a time; returns them in index order. */
  List<Takeover> run(int size, int concurrency) throws Exception {
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      Promise<Void> finished = Promise.promise();
      clients.runOnContext(v -> loop(size, finished));
      workers.add(finished.future());
    }
    Future.all(workers).await(size * boundMs + 60_000, TimeUnit.MILLISECONDS);
    List<Takeover> sorted = new ArrayList<>(done);
    sorted.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return sorted;
  }

  private void loop(int size, Promise<Void> finished) {
    int i = next.getAndIncrement();
    if (i >= size) {
      finished.complete();
      return;
    }
    one(i).onComplete(r -> {
      done.add(r.succeeded() ? r.result()
          : new Takeover(i, 0, 0, null, 0, false, "error: " + r.cause().getMessage(), ""));
      loop(size, finished);
    });
  }

  private Future<Takeover> one(int i) {
    String id = clientId(i);
    return RawSession.open(clients, net, oldPort, id)
        .compose(a -> a.welcomed().transform(w -> {
          if (w.succeeded()) {
            return Future.succeededFuture(a);
          }
          a.close();
          return Future.failedFuture("A not welcomed: " + w.cause().getMessage());
        }))
        .compose(a -> RawSession.open(clients, net, newPort, id).compose(b -> {
          kept.add(b);
          Promise<Takeover> result = Promise.promise();
          long timer = clients.setTimer(boundMs, t -> result.tryComplete(judge(i, a, b,
              "not done within " + boundMs + " ms")));
          Future.all(b.welcomed(), a.closed()).onComplete(r -> {
            clients.cancelTimer(timer);
            result.tryComplete(judge(i, a, b, r.succeeded() ? null
                : "B not welcomed: " + r.cause().getMessage()));
          });
          return result.future();
        }));
  }

  private static Takeover judge(int i, RawSession a, RawSession b, String failure) {
    boolean keptNow = b.isOpen();
    if (failure == null && !"replaced".equals(a.goodbyeReason())) {
      failure = "A got GOODBYE " + a.goodbyeReason() + " instead of replaced";
    } else if (failure == null && !keptNow) {
      failure = "B closed (GOODBYE " + b.goodbyeReason() + ")";
    } else if (failure == null && a.problem() != null) {
      failure = a.problem();
    }
    if (failure != null) {
      a.close();
    }
    return new Takeover(i, b.welcomeNanos(), a.goodbyeNanos(), a.goodbyeReason(), a.eofNanos(),
        keptNow, failure, nodeOf(a) + " -> " + nodeOf(b));
  }

  private static String nodeOf(RawSession s) {
    return s.connectionId() < 0 ? "?" : String.valueOf(ConnectionIds.nodeOf(s.connectionId()));
  }

  /** How many kept sessions are open now. */
  int keptOpen() {
    synchronized (kept) {
      return (int) kept.stream().filter(RawSession::isOpen).count();
    }
  }

  /** Closes every kept session from the client side. */
  void closeKept() throws Exception {
    List<Future<Void>> closing = new ArrayList<>();
    synchronized (kept) {
      for (RawSession b : kept) {
        closing.add(b.isOpen() ? b.close() : Future.succeededFuture());
      }
    }
    Future.join(closing).await(60, TimeUnit.SECONDS);
    net.close().await(10, TimeUnit.SECONDS);
  }
}
