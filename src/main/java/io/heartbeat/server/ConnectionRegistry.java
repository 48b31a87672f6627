package io.heartbeat.server;

import io.heartbeat.bus.ActivityBatch;
import io.heartbeat.bus.ConnectionIds;
import io.netty.util.collection.LongObjectHashMap;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The connections of one I/O instance by id, plus the list of those that showed life since the
 * last activity batch. Confined to the instance's event loop.
 */
final class ConnectionRegistry {

  private final int ioKey;
  /** Keyed by {@link ConnectionIds#mapKey}, not by the raw id (see there). */
  private final LongObjectHashMap<ConnectionCore> byId = new LongObjectHashMap<>();
  private final List<ConnectionCore> active = new ArrayList<>();
  private long nextSequence;

  ConnectionRegistry(int ioKey) {
    this.ioKey = ioKey;
  }

  /** A fresh id, never one of a connection still open (the 32-bit sequence may wrap). */
  long newId() {
    long id;
    do {
      id = ConnectionIds.id(ioKey, nextSequence++);
    } while (byId.containsKey(ConnectionIds.mapKey(id)));
    return id;
  }

  void add(ConnectionCore connection) {
    byId.put(ConnectionIds.mapKey(connection.id()), connection);
  }

  void remove(ConnectionCore connection) {
    byId.remove(ConnectionIds.mapKey(connection.id()));
  }

  ConnectionCore get(long id) {
    return byId.get(ConnectionIds.mapKey(id));
  }

  /** The connection if it is open and not being closed, else null. */
  ConnectionCore open(long id) {
    ConnectionCore c = get(id);
    return c == null || c.isClosing() ? null : c;
  }

  int size() {
    return byId.size();
  }

  Collection<ConnectionCore> all() {
    return byId.values();
  }

  /** Lists a connection in the next batch; a connection calls this at most once per batch. */
  void markActive(ConnectionCore connection) {
    active.add(connection);
  }

  /**
   * The activity batch of everything marked since the last call, and clears the marks; null when
   * nothing was marked.
   */
  Buffer drainActivity(long nowNanos) {
    if (active.isEmpty()) {
      return null;
    }
    Buffer batch = Buffer.buffer(active.size() * ActivityBatch.ENTRY_BYTES);
    for (ConnectionCore c : active) {
      c.activityReported();
      if (!c.isClosing()) {
        ActivityBatch.append(batch, c.id(), (nowNanos - c.lastFrameNanos()) / 1_000_000,
            c.intervalTicks());
      }
    }
    active.clear();
    return batch.length() == 0 ? null : batch;
  }

  /**
   * Every open connection with its age and interval, in activity-batch format (answer to a
   * monitor resync).
   */
  Buffer snapshot(long nowNanos) {
    Buffer batch = Buffer.buffer(byId.size() * ActivityBatch.ENTRY_BYTES);
    for (ConnectionCore c : byId.values()) {
      if (!c.isClosing()) {
        ActivityBatch.append(batch, c.id(), (nowNanos - c.lastFrameNanos()) / 1_000_000,
            c.intervalTicks());
      }
    }
    return batch;
  }
}
