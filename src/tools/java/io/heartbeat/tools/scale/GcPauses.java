package io.heartbeat.tools.scale;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The GC pauses of this JVM while recording, from the collectors' notifications (duration of
 * each collection). G1's concurrent cycle is reported by its own bean ("G1 Concurrent GC") and
 * is not a pause: it is left out. Explicit System.gc() calls made by the model are left out too.
 */
final class GcPauses {

  /** The pauses seen from {@link #record()} until {@link #stop()}. */
  static final class Recording {
    private final List<Long> pausesMs = new ArrayList<>();
    private volatile boolean open = true;

    /** Stops recording and returns the pauses seen, in ms. */
    long[] stop() {
      open = false;
      synchronized (pausesMs) {
        return pausesMs.stream().mapToLong(Long::longValue).toArray();
      }
    }
  }

  private final List<Recording> recordings = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final NotificationListener listener = (notification, handback) -> {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
        .equals(notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
        (CompositeData) notification.getUserData());
    if (info.getGcName().contains("Concurrent") || "System.gc()".equals(info.getGcCause())) {
      return;
    }
    for (Recording r : recordings) {
      if (r.open) {
        synchronized (r.pausesMs) {
          r.pausesMs.add(info.getGcInfo().getDuration());
        }
      }
    }
  };

  GcPauses() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
    }
  }

  /** Starts a recording (several may be open at once). */
  Recording record() {
    Recording r = new Recording();
    recordings.add(r);
    return r;
  }

  /** The collector names, for the report. */
  static String collectors() {
    List<String> names = new ArrayList<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      names.add(gc.getName());
    }
    return String.join(", ", names);
  }
}
