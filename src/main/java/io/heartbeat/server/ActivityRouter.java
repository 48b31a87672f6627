package io.heartbeat.server;

import io.heartbeat.bus.ActivityBatch;
import io.heartbeat.bus.Addresses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * Where an {@link IoVerticle} sends its activity: to the one monitor of the process
 * ({@link #singleProcess()}), or, clustered, to the monitor each connection is assigned to
 * (io.heartbeat.cluster.ClusterActivityRouter). One router per I/O instance; called only on
 * that instance's event loop.
 */
public interface ActivityRouter {

  /** Sends one tick's activity batch ({@link ActivityBatch} format, never empty). */
  void activity(EventBus bus, Buffer batch);

  /**
   * Answers a monitor's {@link Addresses#MONITOR_RESYNC} request (its JSON body) with the part
   * of {@code snapshot} (every open connection, {@link ActivityBatch} format) it asks for.
   */
  void snapshot(EventBus bus, JsonObject request, Buffer snapshot);

  /** One process: everything goes to {@link Addresses#MONITOR_ACTIVITY}. */
  static ActivityRouter singleProcess() {
    return new ActivityRouter() {
      @Override
      public void activity(EventBus bus, Buffer batch) {
        bus.send(Addresses.MONITOR_ACTIVITY, batch);
      }

      @Override
      public void snapshot(EventBus bus, JsonObject request, Buffer snapshot) {
        bus.send(Addresses.MONITOR_ACTIVITY, snapshot);
      }
    };
  }
}
