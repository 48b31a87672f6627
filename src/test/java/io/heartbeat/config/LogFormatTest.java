package io.heartbeat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AsyncAppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every logback configuration the project ships, loaded into its own context: text lines start
 * with an ISO-8601 date and time, JSON lines are one object with time, level, logger and
 * message; both log through an async appender; the jar's copies equal conf/'s.
 */
class LogFormatTest {

  @ParameterizedTest
  @ValueSource(strings = {"conf/logback.xml", "src/main/resources/logback.xml",
      "src/test/resources/logback-test.xml"})
  void textLinesStartWithAnIsoDateAndTime(String file) throws Exception {
    String line = encode(file, false);

    String time = line.substring(0, line.indexOf(' '));
    OffsetDateTime parsed = OffsetDateTime.parse(time);
    assertEquals(EVENT_MILLIS, parsed.toInstant().toEpochMilli(), line);
    assertTrue(line.contains(" WARN ") && line.contains("LogFormatTest - disk \"full\" at 97%"),
        line);
    assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line");
  }

  @ParameterizedTest
  @ValueSource(strings = {"conf/logback-json.xml", "src/main/resources/logback-json.xml"})
  void jsonLinesAreOneObjectWithTimeLevelLoggerAndMessage(String file) throws Exception {
    String line = encode(file, true);

    assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line");
    JsonObject json = new JsonObject(line);
    assertEquals(EVENT_MILLIS, OffsetDateTime.parse(json.getString("time")).toInstant()
        .toEpochMilli(), line);
    assertEquals(EVENT_MILLIS, json.getLong("timestamp"));
    assertEquals("WARN", json.getString("level"));
    assertEquals(LogFormatTest.class.getName(), json.getString("loggerName"));
    assertEquals("disk \"full\" at 97%", json.getString("formattedMessage"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"logback.xml", "logback-json.xml"})
  void theJarShipsTheSameConfigurationAsConf(String name) throws Exception {
    assertEquals(Files.readString(Path.of("conf", name)),
        Files.readString(Path.of("src/main/resources", name)));
  }

  @Test
  void theJsonSwitchFindsItsConfiguration() throws Exception {
    LoggerContext context = new LoggerContext();
    LogFormat.configure(context, LogFormat.jsonConfig());

    assertInstanceOf(IsoTimeJsonEncoder.class, console(context).getEncoder());
  }

  private static final long EVENT_MILLIS = 1_796_401_388_319L;

  /** One WARN event through the CONSOLE appender's encoder of {@code file}. */
  private static String encode(String file, boolean json) throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    LogFormat.configure(context, Path.of(file).toUri().toURL());
    OutputStreamAppender<ILoggingEvent> console = console(context);
    Logger logger = context.getLogger(LogFormatTest.class);
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN,
        "disk {} at {}%", null, new Object[] {"\"full\"", 97});
    event.setTimeStamp(EVENT_MILLIS);
    String line = new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);
    context.stop();
    return line;
  }

  /** The console appender, behind the async appender where the file has one. */
  @SuppressWarnings("unchecked")
  private static OutputStreamAppender<ILoggingEvent> console(LoggerContext context) {
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    Appender<ILoggingEvent> async = root.getAppender("ASYNC");
    Appender<ILoggingEvent> console = async != null
        ? ((AsyncAppenderBase<ILoggingEvent>) async).getAppender("CONSOLE")
        : root.getAppender("CONSOLE");
    assertNotNull(console, "CONSOLE appender");
    return (OutputStreamAppender<ILoggingEvent>) console;
  }
}
