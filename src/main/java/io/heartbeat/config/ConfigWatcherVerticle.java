package io.heartbeat.config;

import io.heartbeat.bus.Addresses;
import io.vertx.config.ConfigRetriever;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies run-time changes of reloadable settings without a restart. A vertx-config
 * {@link ConfigRetriever} over {@link ConfigSources} reads the stores every
 * {@code configScanMs}, one reading at a time: the next scan is scheduled only when the last
 * one completed, so readings are applied in the order they were taken (the retriever's own
 * periodic scan can overlap a slow scan on a loaded machine and deliver an older reading after
 * a newer one). A reading that differs from the last one is validated: one log
 * line per changed key, a warning for keys that need a restart, and the new effective settings
 * published on {@link Addresses#CONFIG_CHANGED}. A reading that fails validation, a file that
 * cannot be read (or half-written: not JSON yet) is rejected with one line, once per distinct
 * problem until a new valid configuration is read; the running settings stay. The retriever's timer lives on this verticle's context
 * and is closed with it.
 */
public final class ConfigWatcherVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcherVerticle.class);

  private final ConfigSources sources;
  private HeartbeatConfig running;
  private HeartbeatConfig lastSeen;
  private boolean fileSeen;
  private boolean fileHadContent;
  private String lastProblem;
  private ConfigRetriever retriever;
  private long scanTimer = -1;
  private boolean stopped;

  /**
   * @param sources the stores to scan
   * @param running the settings the service started with (their configScanMs is the period)
   */
  public ConfigWatcherVerticle(ConfigSources sources, HeartbeatConfig running) {
    this.sources = sources;
    this.running = running;
    this.lastSeen = running;
  }

  @Override
  public Future<?> start() {
    // Scan period 0: no periodic scan of the retriever's own; this verticle schedules them.
    retriever = ConfigRetriever.create(vertx, sources.retrieverOptions(0));
    // The first reading: whatever changed since the service read its settings applies now.
    return scan().otherwiseEmpty();
  }

  /** Reads the stores once, applies the reading, then schedules the next scan. */
  private Future<JsonObject> scan() {
    return retriever.getConfig()
        .onSuccess(this::check)
        .onFailure(error -> problem(sources.rescanFailure(error)))
        .onComplete(ar -> {
          if (!stopped) {
            scanTimer = vertx.setTimer(running.configScanMs(), t -> scan());
          }
        });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (scanTimer >= 0) {
      vertx.cancelTimer(scanTimer);
    }
    return retriever.close();
  }

  private void check(JsonObject stores) {
    boolean hasFile = stores.containsKey(ConfigLayers.FILE_CONTENT);
    if (fileSeen && !hasFile) {
      // Only an optional file can vanish without an error: keep what it said.
      problem("Config file " + sources.file() + " disappeared; the running settings stay.");
      return;
    }
    fileSeen = hasFile;
    Object content = stores.getValue(ConfigLayers.FILE_CONTENT);
    boolean blank = content instanceof String && ((String) content).isBlank();
    if (blank && fileHadContent) {
      // An editor that saves in place truncates first: an empty file is half-written, not a
      // request to fall back to every default (write {} for that).
      problem("Config file " + sources.file() + " is empty (being written?); the running"
          + " settings stay. Write {} to return to the defaults.");
      return;
    }
    fileHadContent = hasFile && !blank;
    HeartbeatConfig seen;
    try {
      seen = sources.validate(stores);
    } catch (ConfigException e) {
      problem("Rejected the changed config file: " + e.getMessage()
          + " The running settings stay.");
      return;
    }
    if (seen.equals(lastSeen)) {
      return;
    }
    lastProblem = null;
    JsonObject effective = running.toJson();
    for (Setting s : Settings.all()) {
      Object before = lastSeen.value(s);
      Object after = seen.value(s);
      if (Objects.equals(before, after)) {
        continue;
      }
      if (s.reloadable()) {
        effective.put(s.key(), after);
        LOG.info("Setting {} changed from {} to {}: applied", s.key(), s.shown(before),
            s.shown(after));
      } else {
        LOG.warn("Setting {} changed from {} to {} in {}: takes effect after a restart",
            s.key(), s.shown(before), s.shown(after), sources.file());
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
