package io.heartbeat.tools.soak;

import io.heartbeat.testing.scenario.LoopbackSources;
import io.heartbeat.testing.scenario.Peer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A healthy-load generator process for {@link SoakRun}: holds {@code count} connections from
 * {@code 127.0.N.first..} and sends each one heartbeat per interval, the connections spread
 * evenly over the interval (100 slots). Its own process, so its sockets count against its own
 * open-files limit, not the service's or the driver's.
 *
 * <p>Usage: {@code SoakLoad PORT COUNT PREFIX FIRST SOURCES INTERVAL_MS CONNECTS_PER_SECOND}.
 * Prints {@code ready N} once all are connected, {@code status ...} every 5 s,
 * {@code healthy-closed HOST:PORT SILENT_MS} the moment the service closes one, and
 * {@code stopped} after it closed them all itself when stdin says {@code stop} or ends.
 * Printing is this program's interface, hence System.out.
 */
public final class SoakLoad {

  private static final int SLOTS = 100;

  private SoakLoad() {
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int count = Integer.parseInt(args[1]);
    String prefix = args[2];
    int first = Integer.parseInt(args[3]);
    int sources = Integer.parseInt(args[4]);
    long intervalMs = Long.parseLong(args[5]);
    int perSecond = Integer.parseInt(args[6]);
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    LoopbackSources clients = new LoopbackSources(vertx, prefix, first, sources);
    List<List<Peer>> slots = new ArrayList<>();
    for (int i = 0; i < SLOTS; i++) {
      slots.add(new CopyOnWriteArrayList<>());
    }
    List<Peer> all = new CopyOnWriteArrayList<>();
    AtomicInteger closedByService = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger slot = new AtomicInteger();
    long beat = vertx.setPeriodic(Math.max(1, intervalMs / SLOTS),
        t -> slots.get(slot.getAndIncrement() % SLOTS).forEach(Peer::heartbeat));

    Promise<Void> connected = Promise.promise();
    AtomicInteger launched = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    long pace = vertx.setPeriodic(10, t -> {
      for (int i = 0; i < Math.max(1, perSecond / 100) && launched.get() < count; i++) {
        int n = launched.getAndIncrement();
        clients.connect(port).compose(peer -> peer.heartbeat().map(peer)).onComplete(ar -> {
          if (ar.succeeded()) {
            Peer peer = ar.result();
            all.add(peer);
            slots.get(n % SLOTS).add(peer);
            peer.closed().onComplete(v -> {
              if (peer.closedByServer()) {
                closedByService.incrementAndGet();
                System.out.println("healthy-closed " + peer + " " + peer.silentForMs());
              }
            });
          } else {
            failed.incrementAndGet();
            System.out.println("connect-failed " + ar.cause());
          }
          if (done.incrementAndGet() == count) {
            connected.complete();
          }
        });
      }
    });
    connected.future().onComplete(v -> {
      vertx.cancelTimer(pace);
      System.out.println("ready " + all.size());
    });
    vertx.setPeriodic(5_000, t -> System.out.println("status connected=" + all.size()
        + " closedByService=" + closedByService.get() + " connectFailed=" + failed.get()
        + " ackBytes=" + all.stream().mapToLong(Peer::bytesReceived).sum()));

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null && !line.trim().equals("stop");
        line = in.readLine()) {
      // Only "stop" (or the end of stdin) means anything.
    }
    vertx.cancelTimer(beat);
    List<Future<Void>> closing = new ArrayList<>();
    all.forEach(peer -> closing.add(peer.close()));
    Future.join(closing).await(60, TimeUnit.SECONDS);
    System.out.println("stopped closedByService=" + closedByService.get());
    vertx.close().await(30, TimeUnit.SECONDS);
    System.exit(0);
  }
}
