package io.heartbeat.server;

import io.heartbeat.bus.CloseCommand;
import io.heartbeat.bus.CloseReply;
import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.bus.ProbeCommand;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What one I/O instance does once per tick, and its side of timeout decisions, with every time
 * an argument: it notices when its own event loop was stalled, builds the activity batch,
 * closes connections without a first frame in time and peers that stopped reading application
 * data, and arbitrates the monitor's close and probe batches against each connection's own
 * last frame. Confined to the instance's event loop.
 */
final class TickChores {

  private static final Comparator<ConnectionCore> SILENT_LONGEST_FIRST =
      Comparator.comparingLong(ConnectionCore::lastFrameNanos);

  private final ConnectionRegistry registry;
  /**
   * Ids (not connections) of connections without a complete frame yet, oldest first: a closed
   * connection behind a slow head must not stay reachable from here.
   */
  private final ArrayDeque<Long> awaitingFirstFrame = new ArrayDeque<>();
  private final List<ConnectionCore> stoppedReading = new ArrayList<>();
  private long lastTickNanos;
  private long stallRecoveryUntilNanos;

  TickChores(ConnectionRegistry registry, long nowNanos) {
    this.registry = registry;
    this.lastTickNanos = nowNanos;
  }

  /** Tracks a new connection for the first-frame timeout. */
  void awaitFirstFrame(ConnectionCore connection) {
    awaitingFirstFrame.add(connection.id());
  }

  /** Watches a connection whose peer stopped reading application data. */
  void watchStoppedReading(ConnectionCore connection) {
    stoppedReading.add(connection);
  }

  /** The timer restarted (new tick): the next tick is measured from {@code nowNanos}. */
  void restart(long nowNanos) {
    lastTickNanos = nowNanos;
  }

  /**
   * Notes a tick at {@code nowNanos}. Returns how long the event loop could not run beyond half
   * a tick of timer jitter, in ms, or 0: after such a stall timeout closes are held for a tick
   * while the loop reads what queued up.
   */
  long tick(long nowNanos, long tickNanos) {
    long sinceLast = nowNanos - lastTickNanos;
    lastTickNanos = nowNanos;
    if (sinceLast > tickNanos + tickNanos / 2) {
      stallRecoveryUntilNanos = nowNanos + tickNanos;
      return sinceLast / 1_000_000;
    }
    return 0;
  }

  /** The activity batch to send this tick, or null. */
  Buffer activityBatch(long nowNanos) {
    return registry.drainActivity(nowNanos);
  }

  /** Closes connections with no complete frame {@code limitNanos} after accept (0: none). */
  void closeWithoutFirstFrame(long nowNanos, long limitNanos) {
    while (!awaitingFirstFrame.isEmpty()) {
      ConnectionCore oldest = registry.open(awaitingFirstFrame.peek());
      if (oldest == null || oldest.hasCompletedFrame()) {
        awaitingFirstFrame.poll();
      } else if (limitNanos > 0 && nowNanos - oldest.openedNanos() >= limitNanos) {
        awaitingFirstFrame.poll();
        oldest.close(LifecycleEvents.FIRST_FRAME_TIMEOUT, null, nowNanos);
      } else {
        break;
      }
    }
  }

  /** Closes peers that have not read application data for a tick (slow-consumer). */
  void closeSlowConsumers(long nowNanos, long tickNanos) {
    for (Iterator<ConnectionCore> it = stoppedReading.iterator(); it.hasNext(); ) {
      ConnectionCore c = it.next();
      if (c.isClosing()) {
        it.remove();
      } else if (c.stoppedReadingFor(tickNanos, nowNanos)) {
        it.remove();
        c.close(LifecycleEvents.SLOW_CONSUMER, null, nowNanos);
      } else if (!c.isWatchedAsStoppedReading()) {
        it.remove();
      }
    }
  }

  /**
   * Whether a timeout close may go ahead: only if this loop has been running normally (a
   * stalled loop has not read what its sockets hold), the connection is not waiting for the
   * server to open its session, and it has been silent for its whole window ({@code windowNanos} of a version 1 connection times its interval in ticks).
   */
  boolean timeoutDue(ConnectionCore connection, long nowNanos, long tickNanos, long windowNanos) {
    boolean loopHealthy = nowNanos >= stallRecoveryUntilNanos
        && nowNanos - lastTickNanos <= tickNanos + tickNanos / 2;
    // A session being opened is waiting on this server, not silent: its window starts again at
    // the WELCOME.
    return loopHealthy && !connection.isOpeningSession()
        && nowNanos - connection.lastFrameNanos() >= windowNanos * connection.intervalTicks();
  }

  /**
   * Carries out a monitor's close batch: closes (GOODBYE timeout) the connections silent for
   * their window, longest silent first, and refuses the others ({@code windowNanos} and
   * {@code maxMissed} are a version 1 connection's; a session's scale with its interval). {@code clock} gives each close its
   * own time: a batch of thousands takes tens of ms.
   */
  CloseReply closeIfSilent(CloseCommand command, LongSupplier clock, long tickNanos,
      long windowNanos, int maxMissed, byte[] goodbyeTimeout) {
    long now = clock.getAsLong();
    CloseReply.Builder reply = new CloseReply.Builder(command.ids().length);
    List<ConnectionCore> due = new ArrayList<>(command.ids().length);
    for (long id : command.ids()) {
      ConnectionCore connection = registry.open(id);
      if (connection == null) {
        reply.unknown(id);
      } else if (timeoutDue(connection, now, tickNanos, windowNanos)) {
        due.add(connection);
      } else {
        reply.refused(id, (now - connection.lastFrameNanos()) / 1_000_000);
      }
    }
    // The connections nearest the window's upper edge are the ones that cannot wait.
    due.sort(SILENT_LONGEST_FIRST);
    for (ConnectionCore connection : due) {
      connection.closeForTimeout(maxMissed * connection.intervalTicks(), goodbyeTimeout,
          clock.getAsLong());
      reply.closed(connection.id());
    }
    return reply.build();
  }

  /**
   * Carries out a monitor's probe batch, except for connections heard from within
   * {@code silentEnoughNanos} x their interval in ticks (the monitor's view may be a tick
   * behind). Returns probes sent.
   */
  int probe(ProbeCommand command, long nowNanos, long silentEnoughNanos) {
    int sent = 0;
    for (long id : command.ids()) {
      ConnectionCore connection = registry.open(id);
      if (connection != null
          && nowNanos - connection.lastFrameNanos() >= silentEnoughNanos * connection.intervalTicks()
          && connection.probe()) {
        sent++;
      }
    }
    return sent;
  }
}
