package io.heartbeat.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Captures the formatted lines one class logs, so a test can wait for a line the way it waits
 * for an event. Close it to detach.
 */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final AppenderBase<ILoggingEvent> appender;
  private final Arrivals<String> lines = new Arrivals<>();

  private LogCapture(Class<?> source) {
    logger = (Logger) LoggerFactory.getLogger(source);
    appender = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        lines.add(event.getLevel() + " " + event.getFormattedMessage());
      }
    };
    appender.setContext(logger.getLoggerContext());
    appender.setName("capture-" + source.getSimpleName());
    appender.start();
    logger.addAppender(appender);
  }

  /** Starts capturing what {@code source}'s logger logs, prefixed with the level. */
  public static LogCapture of(Class<?> source) {
    return new LogCapture(source);
  }

  /** The lines so far, and futures for lines to come. */
  public Arrivals<String> lines() {
    return lines;
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
