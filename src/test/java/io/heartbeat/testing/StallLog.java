package io.heartbeat.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.heartbeat.monitor.MonitorVerticle;
import io.heartbeat.server.IoVerticle;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * Records the stalls the service reports in its log ("could not run for N ms"): the monitor
 * does not age counters across a stall and an I/O instance holds timeout closes for one tick
 * after one, by design, so a close may come later than the nominal window by the stall and a
 * tick. Tests use this to widen only the upper bound of a window; the lower bound never moves.
 */
public final class StallLog {

  /** One reported stall: when it was logged ({@code System.nanoTime()}) and its length. */
  public record Stall(long loggedNanos, long millis, String source) {
  }

  private static final Pattern STALL = Pattern.compile("could not run for (\\d+) ms");
  private static final List<Stall> STALLS = new CopyOnWriteArrayList<>();
  private static volatile boolean installed;

  private StallLog() {
  }

  /** Starts recording (idempotent; once per JVM). */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    for (Class<?> source : List.of(MonitorVerticle.class, IoVerticle.class)) {
      Logger logger = (Logger) LoggerFactory.getLogger(source);
      AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
          Matcher m = STALL.matcher(event.getFormattedMessage());
          if (m.find()) {
            STALLS.add(new Stall(System.nanoTime(), Long.parseLong(m.group(1)),
                source.getSimpleName()));
          }
        }
      };
      appender.setContext(logger.getLoggerContext());
      appender.setName("stall-log-" + source.getSimpleName());
      appender.start();
      logger.addAppender(appender);
    }
    installed = true;
  }

  /** Stalls logged between {@code fromNanos} and {@code toNanos}. */
  public static List<Stall> between(long fromNanos, long toNanos) {
    return STALLS.stream()
        .filter(s -> s.loggedNanos() - fromNanos >= 0 && toNanos - s.loggedNanos() >= 0)
        .toList();
  }
}
