package io.heartbeat.tools.scale;

import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.ConnectionIds;
import io.heartbeat.cluster.MonitorRef;
import io.heartbeat.cluster.MonitorView;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The measured part of {@link ClusterRun}: steady window, then the kill of node 3. */
final class ClusterMeasurement {

  private static final String ACTIVITY_SUFFIX = ".activity";
  private static final String MONITOR_PREFIX = Addresses.monitorActivity("")
      .substring(0, Addresses.monitorActivity("").length() - ACTIVITY_SUFFIX.length());

  private final ModelSettings settings;
  private final int size;
  private final List<ScaleNode> nodes;
  private final Process third;
  private final List<SyntheticIoVerticle> instances = new ArrayList<>();
  private final AtomicLong remoteActivityBytes = new AtomicLong();
  private final AtomicLong remoteActivityMessages = new AtomicLong();
  private final AtomicLong entriesToThird = new AtomicLong();
  private final AtomicLong entriesSent = new AtomicLong();
  private int thirdNode = -1;

  ClusterMeasurement(ModelSettings settings, int size, List<ScaleNode> nodes, Process third) {
    this.settings = settings;
    this.size = size;
    this.nodes = nodes;
    this.third = third;
  }

  void run() throws Exception {
    MonitorView before = awaitView(3);
    for (MonitorRef m : before.monitors()) {
      if (m.node() != nodes.get(0).service.node() && m.node() != nodes.get(1).service.node()) {
        thirdNode = m.node();
      }
    }
    for (ScaleNode node : nodes) {
      int self = node.service.node();
      node.vertx.eventBus().addOutboundInterceptor(ctx -> {
        countActivity(self, ctx.message().address(), ctx.body());
        ctx.next();
      });
      int perInstance = size / (nodes.size() * settings.instancesPerNode());
      for (int i = 0; i < settings.instancesPerNode(); i++) {
        int ioKey = ConnectionIds.ioKey(self, 100 + i);
        SyntheticIoVerticle io = new SyntheticIoVerticle(ioKey, perInstance, settings,
            node.service.cluster().activityRouter(ioKey), entriesSent);
        node.vertx.deployVerticle(io).await(1, TimeUnit.MINUTES);
        instances.add(io);
      }
    }
    long tick = settings.tickMs();
    System.out.printf(Locale.ROOT, "... %,d connections on nodes %d and %d; monitors %s;"
        + " warming up %d ticks%n", size, nodes.get(0).service.node(),
        nodes.get(1).service.node(), before.monitors(), settings.warmupTicks());
    Thread.sleep(settings.warmupTicks() * tick);
    Window steady = Window.open(this);
    Thread.sleep(settings.ticks() * tick);
    Figures f = steady.close(this, new Figures().put("connections", size));
    failover(before, f);
    ScaleModel.print("3-node cluster (loopback)", List.of(f));
  }

  private void countActivity(int self, String address, Object body) {
    if (!address.startsWith(MONITOR_PREFIX) || !address.endsWith(ACTIVITY_SUFFIX)
        || !(body instanceof Buffer buffer)) {
      return;
    }
    String monitor = address.substring(MONITOR_PREFIX.length(),
        address.length() - ACTIVITY_SUFFIX.length());
    int node = Integer.parseInt(monitor.substring(0, monitor.indexOf('.')));
    if (node != self) {
      remoteActivityBytes.addAndGet(buffer.length());
      remoteActivityMessages.incrementAndGet();
    }
    if (node == thirdNode) {
      entriesToThird.addAndGet(buffer.length() / 12);
    }
  }

  private MonitorView awaitView(int monitors) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      boolean all = true;
      for (ScaleNode n : nodes) {
        all &= n.service.cluster().settled() && n.service.cluster().view().size() == monitors;
      }
      if (all) {
        return nodes.get(0).service.cluster().view();
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the cluster did not reach " + monitors + " monitors");
  }

  /** Kills node 3 and follows its share to the survivors. */
  private void failover(MonitorView before, Figures f) throws Exception {
    String lost = MonitorRef.idOf(thirdNode, 0);
    List<MonitorRef> left = new ArrayList<>(before.monitors());
    left.removeIf(m -> m.id().equals(lost));
    Set<Integer> liveNodes = new HashSet<>(before.nodes());
    liveNodes.remove(thirdNode);
    MonitorView after = new MonitorView(left, liveNodes);
    List<long[]> fleets = ids();
    List<RebuildWatch> watches = new ArrayList<>();
    List<CompletableFuture<Long>> viewChanged = new ArrayList<>();
    for (ScaleNode node : nodes) {
      RebuildWatch watch = new RebuildWatch(node.monitorId());
      node.vertx.eventBus().addInboundInterceptor(watch::intercept);
      watches.add(watch);
      CompletableFuture<Long> changed = new CompletableFuture<>();
      node.vertx.eventBus().localConsumer(Addresses.CLUSTER_VIEW, m -> {
        if (node.service.cluster().view().monitors().stream().noneMatch(
            r -> r.id().equals(lost))) {
          changed.complete(System.nanoTime());
        }
      }).completion().await(10, TimeUnit.SECONDS);
      viewChanged.add(changed);
    }
    watches.forEach(RebuildWatch::start);
    long killed = System.nanoTime();
    third.destroyForcibly();
    long detected = 0;
    for (CompletableFuture<Long> changed : viewChanged) {
      detected = Math.max(detected, changed.get(2, TimeUnit.MINUTES));
    }
    // The rebuild is over well within this (or it is reported incomplete).
    Thread.sleep(4 * settings.tickMs());
    watches.forEach(RebuildWatch::stop);
    List<long[]> still = ids();
    long rebuilt = 0;
    long moved = 0;
    long applied = 0;
    for (int i = 0; i < nodes.size(); i++) {
      long[] ids = ClusterRun.moved(fleets, still, before, after, lost, nodes.get(i).monitorId());
      long[] done = watches.get(i).completedAt(ids);
      moved += ids.length;
      applied += done[1];
      rebuilt = done[0] < 0 || rebuilt < 0 ? -1 : Math.max(rebuilt, done[0]);
    }
    boolean complete = rebuilt >= 0;
    f.put("share of node 3 taken over", moved)
        .put("detection ms (kill to view change)", (detected - killed) / 1e6)
        .put("rebuild ms (view change to last applied)",
            complete ? (rebuilt - detected) / 1e6 : Double.NaN)
        .put("failover ms (kill to rebuilt)", complete ? (rebuilt - killed) / 1e6 : Double.NaN)
        .put("taken over and applied", applied);
    Window post = Window.open(this);
    Thread.sleep(5 * settings.tickMs());
    double tracked = 0;
    for (ScaleNode n : nodes) {
      tracked += n.tracked();
    }
    f.put("tracked by the 2 survivors", tracked);
    post.sweepOnly(this, f, "after failover ");
  }

  private List<long[]> ids() throws Exception {
    List<long[]> fleets = new ArrayList<>();
    for (SyntheticIoVerticle io : instances) {
      fleets.add(io.ids().await(30, TimeUnit.SECONDS));
    }
    return fleets;
  }

  /** Counters at the start of a window of ticks. */
  record Window(long nanos, double[][] buckets, double[] sweeps, double busBytes,
      long activityBytes, long activityMessages, long toThird, long sent, double cpuMs,
      double thirdCpuMs) {

    static Window open(ClusterMeasurement m) throws Exception {
      double[][] buckets = new double[m.nodes.size()][];
      double[] sweeps = new double[m.nodes.size()];
      double bus = 0;
      for (int i = 0; i < m.nodes.size(); i++) {
        buckets[i] = m.nodes.get(i).sweepBuckets();
        sweeps[i] = m.nodes.get(i).total("heartbeat.monitor.tick.duration", null, null);
        bus += m.nodes.get(i).total("vertx.eventbus.bytes.written", null, null);
      }
      return new Window(System.nanoTime(), buckets, sweeps, bus, m.remoteActivityBytes.get(),
          m.remoteActivityMessages.get(), m.entriesToThird.get(), m.entriesSent.get(),
          processCpuMs(), m.third.isAlive() ? ClusterRun.cpuMs(m.third.pid()) : 0);
    }

    private static double processCpuMs() {
      return ((com.sun.management.OperatingSystemMXBean)
          ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e6;
    }

    Figures close(ClusterMeasurement m, Figures f) throws Exception {
      Window end = open(m);
      double ticks = (end.nanos - nanos) / 1e6 / m.settings.tickMs();
      double bus = end.busBytes - busBytes;
      long hb = end.sent - sent;
      long toThird = end.toThird - this.toThird;
      sweepOnly(m, f, "");
      return f.put("activity payload bytes/tick between nodes",
              (end.activityBytes - activityBytes) / ticks)
          .put("activity messages/tick between nodes",
              (end.activityMessages - activityMessages) / ticks)
          .put("event-bus wire bytes written/tick (nodes 1+2)", bus / ticks)
          .put("heartbeats/tick", hb / ticks)
          .put("CPU ms/1k heartbeats (JVM of nodes 1+2: I/O + monitors)",
              (end.cpuMs - cpuMs) / hb * 1000)
          .put("CPU ms/1k heartbeats (node 3: monitor only)",
              (end.thirdCpuMs - thirdCpuMs) / toThird * 1000)
          .put("node 3 CPU % of a core", (end.thirdCpuMs - thirdCpuMs)
              / ((end.nanos - nanos) / 1e6) * 100);
    }

    /** Sweep percentiles per node over the window (bucket upper bounds). */
    void sweepOnly(ClusterMeasurement m, Figures f, String label) {
      Window end;
      try {
        end = open(m);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      for (int i = 0; i < m.nodes.size(); i++) {
        ScaleNode node = m.nodes.get(i);
        double[] b0 = buckets[i];
        double[] b1 = end.buckets[i];
        double total = end.sweeps[i] - sweeps[i];
        f.put(label + "node " + node.service.node() + " tracked", node.tracked())
            .put(label + "node " + node.service.node() + " sweep ms p50 (bucket)",
                percentile(b0, b1, total, 0.50))
            .put(label + "node " + node.service.node() + " sweep ms p99 (bucket)",
                percentile(b0, b1, total, 0.99));
      }
    }

    private static double percentile(double[] b0, double[] b1, double total, double p) {
      for (int k = 0; k < b0.length; k++) {
        if (b1[k] - b0[k] >= p * total) {
          return ScaleNode.SWEEP_BUCKETS_MS[k];
        }
      }
      return Double.POSITIVE_INFINITY;
    }
  }
}
