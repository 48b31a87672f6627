package io.heartbeat.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where the settings come from: the vertx-config stores of one service, declared explicitly and
 * in precedence order (file, environment, system properties), plus the command-line flags.
 *
 * <ul>
 *   <li>file store, {@code raw} format: the text of the config file, decoded by
 *       {@link ConfigLayers} so errors name the file; optional only when the user named no file
 *       and the default one is absent (built-in defaults; a file created later is read at the
 *       next scan);</li>
 *   <li>env store, {@code raw-data}, filtered to the {@code HEARTBEAT_<KEY>} names of
 *       {@link Settings} (strings, so {@link Setting} parses and reports them);</li>
 *   <li>sys store, {@code raw-data}, not cached, flat: it holds every JVM property, of which
 *       {@link ConfigLayers} reads only {@code heartbeat.<key>}.</li>
 * </ul>
 * Immutable; the same sources serve the start-up reading and the run-time watcher.
 */
public final class ConfigSources {

  private final Path file;
  private final boolean fileRequired;
  private final JsonObject commandLine;

  private ConfigSources(Path file, boolean fileRequired, JsonObject commandLine) {
    this.file = file;
    this.fileRequired = fileRequired;
    this.commandLine = commandLine.copy();
  }

  /** A file that must exist (the user named it, or it is being watched). */
  public static ConfigSources of(Path file) {
    return new ConfigSources(file, true, new JsonObject());
  }

  /**
   * The sources of the service's main. Checks whether the default file exists (a blocking
   * call: use it before Vert.x runs, or off the event loop).
   *
   * @param file the config file
   * @param named whether the user named it ({@code -conf}): then it must exist
   * @param commandLine settings fixed by flags, e.g. {@code {"cluster.enabled": true}}
   */
  public static ConfigSources forMain(Path file, boolean named, JsonObject commandLine) {
    return new ConfigSources(file, named || Files.exists(file), commandLine);
  }

  /** The config file (read at start and at every scan). */
  public Path file() {
    return file;
  }

  /** The retriever's options: the three stores in order, scanning every {@code scanMs}. */
  public ConfigRetrieverOptions retrieverOptions(long scanMs) {
    JsonArray envNames = new JsonArray();
    Settings.all().forEach(s -> envNames.add(s.envName()));
    return new ConfigRetrieverOptions()
        .setScanPeriod(scanMs)
        .setIncludeDefaultStores(false)
        .addStore(new ConfigStoreOptions().setType("file").setFormat("raw")
            .setOptional(!fileRequired)
            .setConfig(new JsonObject().put("path", file.toString())
                .put("raw.key", ConfigLayers.FILE_CONTENT).put("raw.type", "string")))
        .addStore(new ConfigStoreOptions().setType("env")
            .setConfig(new JsonObject().put("raw-data", true).put("keys", envNames)))
        .addStore(new ConfigStoreOptions().setType("sys")
            .setConfig(new JsonObject().put("raw-data", true).put("cache", false)
                .put("hierarchical", false)));
  }

  /** Validates one reading of the stores (see {@link ConfigLayers}). */
  public HeartbeatConfig validate(JsonObject stores) throws ConfigException {
    return ConfigLayers.validate(stores, file.toString(), commandLine);
  }

  /**
   * Reads and validates the settings once, without scanning. Fails with a
   * {@link ConfigException}: an unreadable or (when required) missing file, or a bad setting.
   */
  public Future<HeartbeatConfig> read(Vertx vertx) {
    ConfigRetriever retriever = ConfigRetriever.create(vertx, retrieverOptions(0));
    return retriever.getConfig()
        .eventually(() -> retriever.close())
        .recover(error -> Future.failedFuture(readFailure(error)))
        .compose(stores -> {
          try {
            return Future.succeededFuture(validate(stores));
          } catch (ConfigException e) {
            return Future.failedFuture(e);
          }
        });
  }

  /** The one-line message for a file that could not be read at start-up. */
  ConfigException readFailure(Throwable error) {
    if (missing(error)) {
      return new ConfigException("Config file " + file + " does not exist; pass an existing"
          + " file with -conf FILE, or omit -conf to use conf/config.json.");
    }
    return new ConfigException("Cannot read config file " + file + ": " + rootCause(error));
  }

  /** The one-line message for a file that could not be read at run time (settings stay). */
  String rescanFailure(Throwable error) {
    return "Cannot read config file " + file + " ("
        + (missing(error) ? "it does not exist" : rootCause(error))
        + "); the running settings stay.";
  }

  private static boolean missing(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof NoSuchFileException) {
        return true;
      }
    }
    return false;
  }

  private static String rootCause(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return String.valueOf(root).replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
