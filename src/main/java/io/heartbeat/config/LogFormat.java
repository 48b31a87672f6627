package io.heartbeat.config;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Applies the logFormat setting: JSON switches logback to conf/logback-json.xml (or the same file
 * packed in the jar), TEXT keeps conf/logback.xml. Both keep the async console appender. An
 * operator's own {@code -Dlogback.configurationFile} always wins: this class then does nothing.
 */
public final class LogFormat {

  /** The JSON configuration, next to conf/logback.xml and at the root of the jar. */
  public static final String JSON_CONFIG = "logback-json.xml";

  private LogFormat() {
  }

  /**
   * Switches the running logback to JSON lines when {@code config} asks for them. Call it once,
   * at start-up, before Vert.x runs: lines logged while logback reconfigures may be lost.
   *
   * @param userConfigured whether the operator chose a logback configuration file
   * @return the configuration now in use, or null when nothing changed
   */
  public static URL apply(HeartbeatConfig config, boolean userConfigured)
      throws ConfigException {
    if (!config.jsonLogs() || userConfigured
        || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return null;
    }
    URL json = jsonConfig();
    try {
      configure(context, json);
    } catch (JoranException | RuntimeException e) {
      throw new ConfigException("Cannot switch to logFormat JSON with " + json + ": " + e);
    }
    return json;
  }

  /** conf/logback-json.xml when present, else the copy in the jar. */
  static URL jsonConfig() {
    Path conf = Path.of("conf", JSON_CONFIG);
    if (Files.isRegularFile(conf)) {
      try {
        return conf.toUri().toURL();
      } catch (MalformedURLException e) {
        throw new IllegalStateException(e);
      }
    }
    return LogFormat.class.getClassLoader().getResource(JSON_CONFIG);
  }

  /** Replaces {@code context}'s configuration by the one at {@code url}. */
  static void configure(LoggerContext context, URL url) throws JoranException {
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    context.reset();
    configurator.doConfigure(url);
  }
}
