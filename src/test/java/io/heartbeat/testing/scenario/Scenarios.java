package io.heartbeat.testing.scenario;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Small shared pieces of the reliability scenarios. */
public final class Scenarios {

  /** How long any single await in a scenario may take before it counts as hung. */
  public static final long AWAIT_SECONDS = 120;

  private Scenarios() {
  }

  /**
   * Runs a scenario's orchestration on its own thread (it blocks on futures, jcmd and HTTP) and
   * returns its report as a future; socket callbacks still run on Vert.x event loops.
   */
  public static Future<Report> runAsync(String name, Callable<Report> scenario) {
    Promise<Report> done = Promise.promise();
    Thread thread = new Thread(() -> {
      try {
        done.complete(scenario.call());
      } catch (Throwable e) {
        done.fail(e);
      }
    }, "scenario-" + name);
    thread.setDaemon(true);
    thread.start();
    return done.future();
  }

  /** An 8-byte little-endian header (the service's default byte order). */
  public static byte[] header(int type, int length) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(length)
        .array();
  }

  public static Buffer bytes(byte[]... parts) {
    Buffer out = Buffer.buffer();
    for (byte[] p : parts) {
      out.appendBytes(p);
    }
    return out;
  }

  /** Blocks until {@code future} completes ({@value #AWAIT_SECONDS} s at most). */
  public static <T> T await(Future<T> future) {
    try {
      return future.await(AWAIT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("nothing happened for " + AWAIT_SECONDS + " s", e);
    }
  }

  /** Blocks until every future completed, whatever their outcome. */
  public static void awaitAll(List<? extends Future<?>> futures) {
    await(Future.join(futures));
  }

  /** Blocks for {@code ms}: paces load and fault injection (never used to await an outcome). */
  public static void pause(long ms) {
    try {
      TimeUnit.MILLISECONDS.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Connects {@code n} peers, each sending one heartbeat; returns them once all did. */
  public static List<Peer> connectPeers(LoopbackSources sources, int port, int n) {
    List<Future<Peer>> connects = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      connects.add(sources.connect(port).compose(peer -> peer.heartbeat().map(peer)));
    }
    return new java.util.ArrayList<>(await(Future.all(connects)).list());
  }

  /**
   * Waits until every peer's connection ended, or {@code limitMs} passed (the peers still open
   * are then reported by the judging that follows).
   */
  public static void awaitClosed(List<Peer> peers, long limitMs) {
    Future.join(peers.stream().map(Peer::closed).toList())
        .timeout(limitMs, TimeUnit.MILLISECONDS)
        .transform(ar -> Future.succeededFuture()).await();
  }

  public static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }
}
