package io.heartbeat.tools.scale;

import io.heartbeat.bus.ActivityBatch;
import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.ConnectionIds;
import io.heartbeat.cluster.MonitorRef;
import io.heartbeat.cluster.MonitorView;
import io.heartbeat.cluster.ScaleBridge;
import io.heartbeat.monitor.LivenessTable;
import io.heartbeat.server.ActivityRouter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rebuild of a lost monitor's share, through the real cluster code in one JVM: three
 * monitors ("1.0", "2.0", "3.0" on the fleet's nodes 1..3) hold their rendezvous shares; "3.0"
 * is lost; each survivor drops what it no longer tracks ({@code removeMatching}) and publishes a
 * resync with the new view; every I/O instance answers each request through the real
 * ClusterActivityRouter (encode its snapshot, keep the asker's share, send it on the event bus);
 * each survivor applies what it is sent on its own event loop, with its scope's check. The time
 * runs from the loss to the last share applied. The I/O instances answer one after another on
 * one thread here (on a real cluster they run in parallel on their own nodes), so it is an upper
 * bound; detecting the loss (the monitor timeout) is not part of it.
 */
final class ShareRebuild {

  private final ModelSettings settings;

  ShareRebuild(ModelSettings settings) {
    this.settings = settings;
  }

  void run(SyntheticFleet fleet, long now, Figures f) throws Exception {
    List<MonitorRef> three = List.of(MonitorRef.of("1.0", 1), MonitorRef.of("2.0", 2),
        MonitorRef.of("3.0", 3));
    Set<Integer> nodes = new HashSet<>();
    for (int k = 0; k < fleet.instances(); k++) {
      nodes.add(ConnectionIds.nodeOfKey(fleet.ioKey(k)));
    }
    MonitorView before = new MonitorView(three, nodes);
    MonitorView after = new MonitorView(three.subList(0, 2), nodes);
    long silentAgeMs = (settings.maxMissed() - 1) * settings.tickMs();
    LivenessTable[] tables = new LivenessTable[3];
    for (int m = 0; m < 3; m++) {
      tables[m] = new LivenessTable(settings.maxMissed(), settings.tickNanos(), now);
    }
    for (int k = 0; k < fleet.instances(); k++) {
      Buffer snapshot = fleet.snapshot(k, silentAgeMs);
      for (int i = 0; i < ActivityBatch.size(snapshot); i++) {
        long id = ActivityBatch.idAt(snapshot, i);
        tables[before.ownerIndex(id)].activity(id, now - ActivityBatch.ageMsAt(snapshot, i)
            * 1_000_000L);
      }
    }
    int lost = tables[2].size();
    tables[2] = null;
    Vertx vertx = Vertx.vertx();
    try {
      java.lang.management.ThreadMXBean threads =
          java.lang.management.ManagementFactory.getThreadMXBean();
      AtomicLong monitorCpu = new AtomicLong();
      long start = System.nanoTime();
      long ioCpu0 = threads.getCurrentThreadCpuTime();
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int m = 0; m < 2; m++) {
        done.add(survive(vertx, after, three.get(m).id(), tables[m], fleet.instances(), now,
            monitorCpu));
      }
      for (int m = 0; m < 2; m++) {
        JsonObject request = ScaleBridge.resyncRequest(three.get(m).id(), after);
        for (int k = 0; k < fleet.instances(); k++) {
          int node = ConnectionIds.nodeOfKey(fleet.ioKey(k));
          ActivityRouter router = ScaleBridge.router(node, after);
          router.snapshot(vertx.eventBus(), request, fleet.snapshot(k, silentAgeMs));
        }
      }
      long ioCpu = threads.getCurrentThreadCpuTime() - ioCpu0;
      CompletableFuture.allOf(done.toArray(new CompletableFuture[0])).get(5, TimeUnit.MINUTES);
      long took = System.nanoTime() - start;
      if (tables[0].size() + tables[1].size() != fleet.size()) {
        throw new IllegalStateException("survivors track " + (tables[0].size()
            + tables[1].size()) + " of " + fleet.size());
      }
      f.put("lost share (1 of 3 monitors)", lost).put("share rebuild ms", took / 1e6)
          .put("share rebuild CPU ms, I/O side", ioCpu / 1e6)
          .put("share rebuild CPU ms, monitor side", monitorCpu.get() / 1e6);
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** A surviving monitor: on its own event loop, drop what moved away, then apply its share. */
  private static CompletableFuture<Void> survive(Vertx vertx, MonitorView view, String id,
      LivenessTable table, int answers, long now, AtomicLong cpu) throws Exception {
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    CompletableFuture<Void> registered = new CompletableFuture<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    AtomicInteger received = new AtomicInteger();
    Context loop = vertx.getOrCreateContext();
    loop.runOnContext(v -> {
      long cpu0 = threads.getCurrentThreadCpuTime();
      table.removeMatching(c -> !ScaleBridge.tracks(view, id, c), (c, missed) -> { });
      cpu.addAndGet(threads.getCurrentThreadCpuTime() - cpu0);
      vertx.eventBus().<Buffer>localConsumer(Addresses.monitorActivity(id), message -> {
        long handlerCpu0 = threads.getCurrentThreadCpuTime();
        Buffer batch = message.body();
        for (int i = 0; i < ActivityBatch.size(batch); i++) {
          long c = ActivityBatch.idAt(batch, i);
          if (ScaleBridge.tracks(view, id, c)) {
            table.activity(c, now - ActivityBatch.ageMsAt(batch, i) * 1_000_000L);
          }
        }
        cpu.addAndGet(threads.getCurrentThreadCpuTime() - handlerCpu0);
        if (received.incrementAndGet() == answers) {
          done.complete(null);
        }
      }).completion().onSuccess(r -> registered.complete(null));
    });
    registered.get(30, TimeUnit.SECONDS);
    return done;
  }
}
