package io.heartbeat.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the settings from, lowest precedence first: built-in defaults, the JSON config file,
 * environment variables {@code HEARTBEAT_<KEY>}, system properties {@code heartbeat.<key>}.
 *
 * <p>The environment and properties are passed in, so tests need not touch the real ones. Only
 * keys known to {@link Settings} are looked up there; unrelated variables are never read.
 */
public final class ConfigLoader {

  private final Map<String, String> env;
  private final Properties properties;

  /**
   * @param env environment variables (usually {@code System.getenv()})
   * @param properties system properties (usually {@code System.getProperties()})
   */
  public ConfigLoader(Map<String, String> env, Properties properties) {
    this.env = env;
    this.properties = properties;
  }

  /** A loader over the real environment and system properties. */
  public static ConfigLoader fromSystem() {
    return new ConfigLoader(System.getenv(), System.getProperties());
  }

  /**
   * Loads and validates.
   *
   * @param file the JSON config file
   * @param required whether a missing file is an error (it is when the user named the file); a
   *     missing default file means built-in defaults
   * @throws ConfigException with a one-line explanation of the first problem found
   */
  public HeartbeatConfig load(Path file, boolean required) throws ConfigException {
    JsonObject fileJson = readFile(file, required);
    return HeartbeatConfig.fromJson(overlay(fileJson, file));
  }

  /** Parses file content (for run-time reload, where the bytes were read asynchronously). */
  public HeartbeatConfig parse(String content, Path file) throws ConfigException {
    return HeartbeatConfig.fromJson(overlay(decode(content, file), file));
  }

  private JsonObject overlay(JsonObject nested, Path file) throws ConfigException {
    JsonObject fileJson = new JsonObject();
    flatten("", nested, fileJson);
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
      String fromEnv = env.get(s.envName());
      if (fromEnv != null) {
        merged.put(s.key(), s.parse(fromEnv, "from environment variable " + s.envName()));
      }
      String fromProperty = properties.getProperty(s.propertyName());
      if (fromProperty != null) {
        merged.put(s.key(), s.parse(fromProperty, "from system property -D" + s.propertyName()));
      }
    }
    return merged;
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

  private static JsonObject readFile(Path file, boolean required) throws ConfigException {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      if (required) {
        throw new ConfigException("Config file " + file + " does not exist; pass an existing"
            + " file with -conf FILE, or omit -conf to use conf/config.json.");
      }
      return new JsonObject();
    } catch (IOException e) {
      throw new ConfigException("Cannot read config file " + file + ": " + e);
    }
    return decode(content, file);
  }

  private static JsonObject decode(String content, Path file) throws ConfigException {
    try {
      return new JsonObject(content.isBlank() ? "{}" : content);
    } catch (DecodeException | ClassCastException e) {
      String detail = e.getMessage() == null ? "" : e.getMessage().split("\n")[0];
      throw new ConfigException("Config file " + file + " is not a valid JSON object: "
          + detail);
    }
  }
}
