package io.heartbeat.metrics;

import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.config.HeartbeatConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * Meters of the process around the service, bound while the admin API runs:
 * <ul>
 *   <li>Micrometer's JVM binders: memory ({@code jvm_memory_*_bytes}, {@code jvm_buffer_*}),
 *       GC ({@code jvm_gc_*}, including {@code jvm_gc_overhead}, the share of CPU time spent
 *       in GC), threads ({@code jvm_threads_*}), class loading
 *       ({@code jvm_classes_*});</li>
 *   <li>process: CPU ({@code system_cpu_*}, {@code process_cpu_usage}), uptime
 *       ({@code process_uptime_seconds}, {@code process_start_time_seconds}), open files
 *       ({@code process_files_open_files}, {@code process_files_max_files});</li>
 *   <li>{@code heartbeat_build_info{version,java,transport,ioEdge}} = 1;</li>
 *   <li>{@code heartbeat_connections_limit}: maxConnections (0 = no limit);</li>
 *   <li>closes with reason node-lost, counted into
 *       {@code heartbeat_connections_closed_total{reason="node-lost"}} from the events this node's
 *       monitor publishes (a local consumer, so a cluster counts each close once, where it was
 *       decided).</li>
 * </ul>
 * {@link #close()} releases the GC listeners and the consumer. The GC pause timer
 * {@code jvm_gc_pause_seconds} appears after the first collection.
 */
public final class ProcessMeters implements AutoCloseable {

  private final JvmGcMetrics gc;
  private final JvmHeapPressureMetrics heapPressure;
  private final MessageConsumer<JsonObject> nodeLost;

  private ProcessMeters(JvmGcMetrics gc, JvmHeapPressureMetrics heapPressure,
      MessageConsumer<JsonObject> nodeLost) {
    this.gc = gc;
    this.heapPressure = heapPressure;
    this.nodeLost = nodeLost;
  }

  /** Binds every meter above to {@code metrics}' registry; call from a Vert.x context. */
  public static ProcessMeters bind(HeartbeatMetrics metrics, Vertx vertx, HeartbeatConfig config) {
    MeterRegistry registry = metrics.registry();
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();
    heapPressure.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    Gauge.builder("heartbeat.build.info", () -> 1)
        .description("Always 1; the tags say which build runs")
        .tag("version", BuildInfo.version())
        .tag("java", System.getProperty("java.version", "unknown"))
        .tag("transport", vertx.isNativeTransportEnabled() ? "epoll" : "nio")
        .tag("ioEdge", config.leanIoEdge() ? "lean" : "netserver")
        .register(registry);
    int limit = config.maxConnections();
    Gauge.builder("heartbeat.connections.limit", () -> limit)
        .description("maxConnections: connections this process holds at most (0 = no limit)")
        .register(registry);
    MessageConsumer<JsonObject> nodeLost = vertx.eventBus().localConsumer(
        Addresses.CONNECTION_CLOSED, m -> {
          JsonObject body = m.body();
          if (body != null && LifecycleEvents.NODE_LOST.equals(body.getString("reason"))) {
            metrics.countNodeLost();
          }
        });
    return new ProcessMeters(gc, heapPressure, nodeLost);
  }

  @Override
  public void close() {
    gc.close();
    heapPressure.close();
    nodeLost.unregister();
  }
}
