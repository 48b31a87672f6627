package io.heartbeat.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Turns one reading of the config stores into validated settings: a pure function, no Vert.x
 * instance, no file system.
 *
 * <p>The input is what the {@link io.vertx.config.ConfigRetriever} built by {@link ConfigSources}
 * merges from its three stores, whose keys never collide:
 * <ul>
 *   <li>{@link #FILE_CONTENT}: the config file's text (the file store in {@code raw} format, so
 *       this class decodes it and names the file in every error); absent when the file is
 *       optional and missing;</li>
 *   <li>{@code HEARTBEAT_<KEY>}: environment variables, as strings;</li>
 *   <li>every JVM system property, as strings; only {@code heartbeat.<key>} are read.</li>
 * </ul>
 * Precedence, lowest first: built-in default, file, environment, system property, then the
 * command line ({@code -cluster}). Every layer is validated, so a typo cannot hide behind a
 * higher layer, and each error is one line naming the key, the value, where it came from and
 * what is accepted.
 */
public final class ConfigLayers {

  /** The key under which the file store puts the file's text. */
  public static final String FILE_CONTENT = "heartbeat-config-file-content";

  private ConfigLayers() {
  }

  /**
   * Validates one reading.
   *
   * @param stores the merged output of the stores (see the class comment)
   * @param file the config file, named in messages
   * @param commandLine settings fixed by command-line flags (flat keys), highest precedence
   * @throws ConfigException with a one-line explanation of the first problem found
   */
  public static HeartbeatConfig validate(JsonObject stores, String file, JsonObject commandLine)
      throws ConfigException {
    Object content = stores.getValue(FILE_CONTENT);
    JsonObject fileJson = new JsonObject();
    if (content != null) {
      flatten("", decode(String.valueOf(content), file), fileJson);
    }
    for (String key : fileJson.fieldNames()) {
      if (Settings.byKey(key) == null) {
        throw new ConfigException("Unknown setting \"" + key + "\" in " + file
            + "; known settings: " + String.join(", ",
            Settings.all().stream().map(Setting::key).toList()));
      }
    }
    JsonObject merged = new JsonObject();
    for (Setting s : Settings.all()) {
      Object value = fileJson.getValue(s.key());
      if (value != null) {
        merged.put(s.key(), s.parse(value, "in " + file));
      }
      Object fromEnv = stores.getValue(s.envName());
      if (fromEnv != null) {
        merged.put(s.key(), s.parse(fromEnv, "from environment variable " + s.envName()));
      }
      Object fromProperty = stores.getValue(s.propertyName());
      if (fromProperty != null) {
        merged.put(s.key(), s.parse(fromProperty, "from system property -D"
            + s.propertyName()));
      }
      Object fromCommandLine = commandLine.getValue(s.key());
      if (fromCommandLine != null) {
        merged.put(s.key(), s.parse(fromCommandLine, "from the command line"));
      }
    }
    return HeartbeatConfig.fromJson(merged);
  }

  /** {"admin":{"port":1}} becomes {"admin.port":1}; dotted keys may also be written flat. */
  private static void flatten(String prefix, JsonObject in, JsonObject out) {
    for (String key : in.fieldNames()) {
      Object value = in.getValue(key);
      if (value instanceof JsonObject) {
        flatten(prefix + key + ".", (JsonObject) value, out);
      } else {
        out.put(prefix + key, value);
      }
    }
  }

  private static JsonObject decode(String content, String file) throws ConfigException {
    try {
      return new JsonObject(content.isBlank() ? "{}" : content);
    } catch (DecodeException | ClassCastException e) {
      String detail = e.getMessage() == null ? "" : e.getMessage().split("\n")[0];
      throw new ConfigException("Config file " + file + " is not a valid JSON object: "
          + detail);
    }
  }
}
