package io.heartbeat.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Things that arrive one by one on some event loop (frames, bus events), kept in arrival order,
 * with futures that complete when a given one has arrived: tests wait on these instead of
 * sleeping or polling. Thread-safe; futures complete on the thread that adds the item (or at
 * once if it is already there).
 *
 * @param <T> the item type
 */
public final class Arrivals<T> {

  private final List<T> items = new ArrayList<>();
  private final List<Waiter<T>> waiters = new ArrayList<>();

  private static final class Waiter<T> {
    final int index;
    final Predicate<? super T> match;
    final Promise<T> promise = Promise.promise();

    Waiter(int index, Predicate<? super T> match) {
      this.index = index;
      this.match = match;
    }
  }

  /** Appends an item and completes the futures waiting for it. */
  public void add(T item) {
    List<Waiter<T>> due = new ArrayList<>();
    synchronized (this) {
      items.add(item);
      for (Iterator<Waiter<T>> it = waiters.iterator(); it.hasNext(); ) {
        Waiter<T> w = it.next();
        if (w.match == null ? items.size() > w.index : w.match.test(item)) {
          it.remove();
          due.add(w);
        }
      }
    }
    for (Waiter<T> w : due) {
      w.promise.complete(w.match == null ? itemAt(w.index) : item);
    }
  }

  /** The item with this arrival index (0 is the first), once it has arrived. */
  public Future<T> at(int index) {
    synchronized (this) {
      if (index < items.size()) {
        return Future.succeededFuture(items.get(index));
      }
      Waiter<T> w = new Waiter<>(index, null);
      waiters.add(w);
      return w.promise.future();
    }
  }

  /** The first item (already arrived or still to come) that matches. */
  public Future<T> first(Predicate<? super T> match) {
    synchronized (this) {
      for (T item : items) {
        if (match.test(item)) {
          return Future.succeededFuture(item);
        }
      }
      Waiter<T> w = new Waiter<>(-1, match);
      waiters.add(w);
      return w.promise.future();
    }
  }

  /** A copy of everything that arrived so far, in order. */
  public synchronized List<T> snapshot() {
    return List.copyOf(items);
  }

  /** How many items arrived so far. */
  public synchronized int size() {
    return items.size();
  }

  private synchronized T itemAt(int index) {
    return items.get(index);
  }
}
