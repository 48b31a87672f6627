package io.heartbeat.config;

import io.heartbeat.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the config file every {@code configScanMs} and applies changes of reloadable settings
 * without a restart: one log line per changed key, a warning for keys that need a restart, and
 * the new effective settings published on {@link Addresses#CONFIG_CHANGED}. A file that fails
 * validation is rejected with one line (once per distinct problem); the running settings stay.
 * Environment variables and system properties keep their precedence over the file.
 */
public final class ConfigWatcherVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcherVerticle.class);

  private final Path file;
  private final ConfigLoader loader;
  private HeartbeatConfig running;
  private HeartbeatConfig lastSeen;
  private String lastProblem;

  /**
   * @param file the config file to watch
   * @param loader applies environment and property overrides on top of the file
   * @param running the settings the service started with
   */
  public ConfigWatcherVerticle(Path file, ConfigLoader loader, HeartbeatConfig running) {
    this.file = file;
    this.loader = loader;
    this.running = running;
    this.lastSeen = running;
  }

  @Override
  public Future<?> start() {
    if (running.configScanMs() > 0) {
      vertx.setPeriodic(running.configScanMs(), t -> scan());
    }
    return Future.succeededFuture();
  }

  private void scan() {
    vertx.fileSystem().readFile(file.toString())
        .onSuccess(bytes -> check(bytes.toString()))
        .onFailure(error -> problem("Cannot read config file " + file + " (" + error.getMessage()
            + "); the running settings stay"));
  }

  private void check(String content) {
    HeartbeatConfig seen;
    try {
      seen = loader.parse(content, file);
    } catch (ConfigException e) {
      problem("Rejected the changed config file: " + e.getMessage()
          + " The running settings stay.");
      return;
    }
    lastProblem = null;
    if (seen.equals(lastSeen)) {
      return;
    }
    io.vertx.core.json.JsonObject effective = running.toJson();
    for (Setting s : Settings.all()) {
      Object before = lastSeen.value(s);
      Object after = seen.value(s);
      if (Objects.equals(before, after)) {
        continue;
      }
      if (s.reloadable()) {
        effective.put(s.key(), after);
        LOG.info("Setting {} changed from {} to {}: applied", s.key(), before, after);
      } else {
        LOG.warn("Setting {} changed from {} to {} in {}: takes effect after a restart",
            s.key(), before, after, file);
      }
    }
    lastSeen = seen;
    HeartbeatConfig next;
    try {
      next = HeartbeatConfig.fromJson(effective);
    } catch (ConfigException e) {
      problem("Rejected the changed config file: " + e.getMessage()
          + " The running settings stay.");
      return;
    }
    if (!next.equals(running)) {
      running = next;
      // This node's file: in a cluster, other nodes follow their own files.
      vertx.eventBus().publish(Addresses.CONFIG_CHANGED, next.toJson(),
          new DeliveryOptions().setLocalOnly(true));
    }
  }

  private void problem(String message) {
    if (!message.equals(lastProblem)) {
      lastProblem = message;
      LOG.error(message);
    }
  }
}
