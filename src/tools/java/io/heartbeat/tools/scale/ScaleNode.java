package io.heartbeat.tools.scale;

import io.heartbeat.HeartbeatService;
import io.heartbeat.cluster.ClusterSetup;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.metrics.HeartbeatMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One real Heartbeat cluster node of the scale model: a clustered Vert.x with Hazelcast on
 * 127.0.0.1 (explicit member list, as the tests and scripts/cluster do), Vert.x's own event-bus
 * meters, and the service with its monitor. The monitor's sweep durations go to a histogram of
 * fixed buckets ({@link #SWEEP_BUCKETS_MS}) so that a window of ticks can be read as the
 * difference of two snapshots.
 */
final class ScaleNode {

  /** Upper bounds of the sweep-duration buckets, in ms. */
  static final double[] SWEEP_BUCKETS_MS = {0.5, 1, 2, 3, 5, 7, 10, 15, 20, 30, 40, 50, 60, 80,
      100, 150, 200, 300, 500, 1000, 2000, 5000};

  final Vertx vertx;
  final HeartbeatService service;
  final MeterRegistry registry;

  private ScaleNode(Vertx vertx, HeartbeatService service, MeterRegistry registry) {
    this.vertx = vertx;
    this.service = service;
    this.registry = registry;
  }

  /** The configuration of a node of cluster {@code name}. */
  static HeartbeatConfig config(ModelSettings settings, String name, String role,
      int hazelcastPort, String members) throws Exception {
    return HeartbeatConfig.fromJson(new JsonObject().put("port", 0).put("host", "127.0.0.1")
        .put("ioInstances", 1).put("tickMs", settings.tickMs())
        .put("maxMissed", settings.maxMissed()).put("cluster.enabled", true)
        .put("cluster.role", role).put("cluster.name", name)
        .put("cluster.hazelcastPort", hazelcastPort).put("cluster.members", members)
        .put("cluster.host", "127.0.0.1").put("cluster.port", 0));
  }

  static ScaleNode start(HeartbeatConfig config) throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig c) {
        if (!id.getName().equals("heartbeat.monitor.tick.duration")) {
          return c;
        }
        double[] slos = new double[SWEEP_BUCKETS_MS.length];
        for (int i = 0; i < slos.length; i++) {
          slos[i] = SWEEP_BUCKETS_MS[i] * 1e6;
        }
        return DistributionStatisticConfig.builder().serviceLevelObjectives(slos)
            .expiry(Duration.ofHours(1)).build().merge(c);
      }
    });
    VertxOptions options = new VertxOptions().setMetricsOptions(
        new MicrometerMetricsOptions().setEnabled(true));
    HazelcastClusterManager manager = ClusterSetup.clusterManager(config);
    Vertx vertx = Vertx.builder().with(ClusterSetup.eventBus(options, config))
        .withMetrics(new MicrometerMetricsFactory(registry)).withClusterManager(manager)
        .buildClustered().await(2, TimeUnit.MINUTES);
    HeartbeatService service = HeartbeatService.start(vertx, config,
        new HeartbeatService.Options().clusterManager(manager)
            .metrics(new HeartbeatMetrics(registry))).await(2, TimeUnit.MINUTES);
    return new ScaleNode(vertx, service, registry);
  }

  /** The monitor id of this node ("node.0"). */
  String monitorId() {
    return io.heartbeat.cluster.MonitorRef.idOf(service.node(), 0);
  }

  /** Sum of a counter-like meter's totals (counters, summaries' total amount). */
  double total(String name, String tagKey, String tagValue) {
    double sum = 0;
    for (Meter m : registry.find(name).meters()) {
      if (tagKey != null && !tagValue.equals(m.getId().getTag(tagKey))) {
        continue;
      }
      for (var measurement : m.measure()) {
        String stat = measurement.getStatistic().name();
        if (stat.equals("COUNT") && !(m instanceof io.micrometer.core.instrument.DistributionSummary)
            || stat.equals("TOTAL")) {
          sum += measurement.getValue();
        }
      }
    }
    return sum;
  }

  /** Cumulative sweep counts at or below each bucket bound (same order as the bounds). */
  double[] sweepBuckets() {
    io.micrometer.core.instrument.Timer timer = registry.find("heartbeat.monitor.tick.duration")
        .timer();
    double[] counts = new double[SWEEP_BUCKETS_MS.length];
    if (timer == null) {
      return counts;
    }
    var histogram = timer.takeSnapshot().histogramCounts();
    for (int i = 0; i < histogram.length && i < counts.length; i++) {
      counts[i] = histogram[i].count();
    }
    return counts;
  }

  double tracked() {
    var gauge = registry.find("heartbeat.monitor.tracked").gauge();
    return gauge == null ? -1 : gauge.value();
  }
}
