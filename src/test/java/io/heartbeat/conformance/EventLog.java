package io.heartbeat.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The event lines one client printed (C) or raised (Java), in order, each with the client's
 * monotonic millisecond time; waits are futures completed when a matching line arrives.
 */
final class EventLog {

  /** One event: the client's monotonic time in ms and the line, e.g. {@code goodbye reason=kicked}. */
  record Event(long atMs, String text) {
    @Override
    public String toString() {
      return atMs + " " + text;
    }
  }

  private record Waiter(String prefix, int fromIndex, CompletableFuture<Integer> found) {
  }

  private final List<Event> events = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();

  /** Records an event; completes the waiters it matches. */
  synchronized void add(long atMs, String text) {
    events.add(new Event(atMs, text));
    int index = events.size() - 1;
    waiters.removeIf(w -> {
      if (index >= w.fromIndex() && text.startsWith(w.prefix())) {
        w.found().complete(index);
        return true;
      }
      return false;
    });
  }

  /** Completes with the index of the first event at or after {@code fromIndex} starting so. */
  synchronized CompletableFuture<Integer> await(String prefix, int fromIndex) {
    CompletableFuture<Integer> found = new CompletableFuture<>();
    for (int i = fromIndex; i < events.size(); i++) {
      if (events.get(i).text().startsWith(prefix)) {
        found.complete(i);
        return found;
      }
    }
    waiters.add(new Waiter(prefix, fromIndex, found));
    return found;
  }

  synchronized List<Event> events() {
    return new ArrayList<>(events);
  }

  synchronized int size() {
    return events.size();
  }
}
