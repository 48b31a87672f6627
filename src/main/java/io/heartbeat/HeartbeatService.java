package io.heartbeat;

import io.heartbeat.bus.ConnectionIds;
import io.heartbeat.config.ConfigLoader;
import io.heartbeat.config.ConfigWatcherVerticle;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.monitor.MonitorVerticle;
import io.heartbeat.server.IoVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running Heartbeat service inside one Vert.x instance: the monitor verticle, the I/O verticle
 * instances sharing the client port, and (optionally) the config file watcher.
 *
 * <p>Use {@link #start} from an application or a test; the service's own main is
 * {@link HeartbeatApplication}.
 */
public final class HeartbeatService {

  private final Vertx vertx;
  private final List<String> deployments;
  private final List<IoVerticle> ioInstances;

  private HeartbeatService(Vertx vertx, List<String> deployments, List<IoVerticle> ioInstances) {
    this.vertx = vertx;
    this.deployments = deployments;
    this.ioInstances = ioInstances;
  }

  /**
   * Deploys the monitor, then {@link HeartbeatConfig#effectiveIoInstances()} I/O instances, then
   * the watcher of {@code configFile} (when not null and configScanMs is above 0). Fails, with
   * everything already deployed undeployed again, if any part fails (for example the port is in
   * use: the failure is a {@link io.heartbeat.config.ConfigException} with a one-line message).
   *
   * @param node this node's number (0 unless clustered), part of every connection id
   */
  public static Future<HeartbeatService> start(Vertx vertx, HeartbeatConfig config,
      Path configFile, int node) {
    List<String> deployed = Collections.synchronizedList(new ArrayList<>());
    List<IoVerticle> instances = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger nextInstance = new AtomicInteger();
    Future<String> chain = vertx.deployVerticle(new MonitorVerticle(config))
        .onSuccess(deployed::add)
        .compose(id -> vertx.deployVerticle(() -> {
          IoVerticle io = new IoVerticle(config,
              ConnectionIds.ioKey(node, nextInstance.getAndIncrement()));
          instances.add(io);
          return io;
        }, new DeploymentOptions().setInstances(config.effectiveIoInstances())))
        .onSuccess(deployed::add);
    if (configFile != null && config.configScanMs() > 0) {
      chain = chain.compose(id -> vertx.deployVerticle(
          new ConfigWatcherVerticle(configFile, ConfigLoader.fromSystem(), config)))
          .onSuccess(deployed::add);
    }
    return chain.map(id -> new HeartbeatService(vertx, deployed, instances))
        .recover(error -> undeployAll(vertx, deployed).transform(v -> Future.failedFuture(error)));
  }

  /** The client port (useful when the config asked for port 0). */
  public int port() {
    return ioInstances.get(0).actualPort();
  }

  /** Number of I/O instances running. */
  public int ioInstanceCount() {
    return ioInstances.size();
  }

  /**
   * Undeploys everything, I/O first: every connection gets GOODBYE "shutdown" and is closed.
   */
  public Future<Void> stop() {
    return undeployAll(vertx, deployments);
  }

  private static Future<Void> undeployAll(Vertx vertx, List<String> deployments) {
    List<String> reversed = new ArrayList<>(deployments);
    Collections.reverse(reversed);
    Future<Void> chain = Future.succeededFuture();
    for (String id : reversed) {
      chain = chain.compose(v -> vertx.undeploy(id).recover(e -> Future.succeededFuture()));
    }
    return chain;
  }
}
