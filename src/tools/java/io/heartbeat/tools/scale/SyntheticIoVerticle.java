package io.heartbeat.tools.scale;

import io.heartbeat.bus.ActivityBatch;
import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.CloseCommand;
import io.heartbeat.bus.CloseReply;
import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.server.ActivityRouter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An I/O instance without sockets, for the clustered scale model: it owns a
 * {@link SyntheticFleet} of one instance key and speaks the I/O side of the bus like
 * {@code IoVerticle}: one activity batch per tick through the node's real router, a snapshot
 * through the router for each resync request, and close batches answered as an owner whose
 * connections really were silent (closed, CONNECTION_CLOSED published, a new device connecting
 * in the slot, CONNECTION_OPENED published).
 */
final class SyntheticIoVerticle extends VerticleBase {

  private final int ioKey;
  private final int size;
  private final ModelSettings settings;
  private final ActivityRouter router;
  private final AtomicLong entriesSent;
  private SyntheticFleet fleet;
  private EventBus bus;

  SyntheticIoVerticle(int ioKey, int size, ModelSettings settings, ActivityRouter router,
      AtomicLong entriesSent) {
    this.ioKey = ioKey;
    this.size = size;
    this.settings = settings;
    this.router = router;
    this.entriesSent = entriesSent;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    fleet = new SyntheticFleet(size, new int[] {ioKey}, settings.tickMs(),
        settings.silentPerTick());
    Future<Void> commands = bus.<Buffer>consumer(Addresses.ioClose(ioKey), this::onClose)
        .completion();
    Future<Void> resync = bus.<JsonObject>consumer(Addresses.MONITOR_RESYNC,
        m -> router.snapshot(bus, m.body() == null ? new JsonObject() : m.body(),
            fleet.snapshot(0, (settings.maxMissed() - 1) * settings.tickMs()))).completion();
    vertx.setPeriodic(settings.tickMs(), t -> flush());
    return Future.all(commands, resync);
  }

  /** The ids held now, read on the instance's own event loop. */
  Future<long[]> ids() {
    io.vertx.core.Promise<long[]> ids = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      long[] out = new long[fleet.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = fleet.id(i);
      }
      ids.complete(out);
    });
    return ids.future();
  }

  private void flush() {
    fleet.silenceSome();
    Buffer batch = fleet.activityBatches()[0];
    entriesSent.addAndGet(ActivityBatch.size(batch));
    router.activity(bus, batch);
  }

  private void onClose(Message<Buffer> message) {
    long[] ids = CloseCommand.fromBuffer(message.body()).ids();
    CloseReply.Builder reply = new CloseReply.Builder(ids.length);
    for (long id : ids) {
      int slot = fleet.slotOf(id);
      if (slot < 0) {
        reply.unknown(id);
        continue;
      }
      reply.closed(id);
      long next = fleet.replace(slot);
      bus.publish(Addresses.CONNECTION_CLOSED, LifecycleEvents.closed(id, "synthetic",
          LifecycleEvents.TIMEOUT, settings.maxMissed() * settings.tickMs(), settings.maxMissed(),
          -1));
      bus.publish(Addresses.CONNECTION_OPENED, LifecycleEvents.opened(next, "synthetic",
          "synthetic", System.currentTimeMillis()));
    }
    message.reply(reply.build().toBuffer());
  }
}
