package io.heartbeat.config;

import java.util.List;
import java.util.Locale;

/**
 * One configuration key: its name, type, default, accepted range and meaning.
 *
 * <p>The environment variable and system property that override a key are derived from its
 * name: {@code tickMs} is {@code HEARTBEAT_TICK_MS} and {@code -Dheartbeat.tickMs}; a dotted
 * key {@code admin.port} is {@code HEARTBEAT_ADMIN_PORT} and {@code -Dheartbeat.admin.port}.
 */
public final class Setting {

  /** Value kinds a setting can hold. */
  public enum Kind { INT, LONG, BOOLEAN, STRING, OPTIONAL_STRING, CHOICE }

  private final String key;
  private final Kind kind;
  private final Object defaultValue;
  private final long min;
  private final long max;
  private final List<String> choices;
  private final boolean reloadable;
  private final boolean secret;
  private final String description;

  private Setting(String key, Kind kind, Object defaultValue, long min, long max,
      List<String> choices, boolean reloadable, String description) {
    this(key, kind, defaultValue, min, max, choices, reloadable, false, description);
  }

  private Setting(String key, Kind kind, Object defaultValue, long min, long max,
      List<String> choices, boolean reloadable, boolean secret, String description) {
    this.key = key;
    this.kind = kind;
    this.defaultValue = defaultValue;
    this.min = min;
    this.max = max;
    this.choices = choices;
    this.reloadable = reloadable;
    this.secret = secret;
    this.description = description;
  }

  static Setting intSetting(String key, int def, int min, int max, boolean reloadable, String doc) {
    return new Setting(key, Kind.INT, def, min, max, List.of(), reloadable, doc);
  }

  static Setting longSetting(String key, long def, long min, long max, boolean reloadable,
      String doc) {
    return new Setting(key, Kind.LONG, def, min, max, List.of(), reloadable, doc);
  }

  static Setting boolSetting(String key, boolean def, boolean reloadable, String doc) {
    return new Setting(key, Kind.BOOLEAN, def, 0, 0, List.of(), reloadable, doc);
  }

  static Setting stringSetting(String key, String def, boolean reloadable, String doc) {
    return new Setting(key, Kind.STRING, def, 0, 0, List.of(), reloadable, doc);
  }

  /** A string that may be empty (empty means "not set"), such as a path or a token. */
  static Setting optionalStringSetting(String key, boolean reloadable, String doc) {
    return new Setting(key, Kind.OPTIONAL_STRING, "", 0, 0, List.of(), reloadable, doc);
  }

  /**
   * An optional string that is a credential (a token, a key): its value is never shown, neither
   * in {@link HeartbeatConfig#toString()}, nor in a log line, nor in an error message; not
   * reloadable, so a change is not echoed either.
   */
  static Setting secretSetting(String key, String doc) {
    return new Setting(key, Kind.OPTIONAL_STRING, "", 0, 0, List.of(), false, true, doc);
  }

  static Setting choiceSetting(String key, String def, List<String> choices, boolean reloadable,
      String doc) {
    return new Setting(key, Kind.CHOICE, def, 0, 0, List.copyOf(choices), reloadable, doc);
  }

  /** The key as written in the JSON file, e.g. {@code tickMs} or {@code admin.port}. */
  public String key() {
    return key;
  }

  /** The value kind. */
  public Kind kind() {
    return kind;
  }

  /** The accepted values of a CHOICE setting (empty for other kinds). */
  public List<String> choices() {
    return choices;
  }

  /** The built-in default (Integer, Long, Boolean or String). */
  public Object defaultValue() {
    return defaultValue;
  }

  /** Whether a change in the config file is applied without a restart. */
  public boolean reloadable() {
    return reloadable;
  }

  /** Whether the value is a credential that must never be shown (see {@link #shown}). */
  public boolean secret() {
    return secret;
  }

  /**
   * A value of this setting as it may appear in a log line or a message: as is, or for a
   * {@link #secret()} setting {@code (hidden)} (and {@code (empty)} when not set, so an operator
   * can still tell whether it is set).
   */
  public String shown(Object value) {
    if (!secret) {
      return String.valueOf(value);
    }
    return value == null || "".equals(value) ? "(empty)" : "(hidden)";
  }

  /** One-line meaning, with the unit and what 0 means where that applies. */
  public String description() {
    return description;
  }

  /** The environment variable that overrides this key, e.g. {@code HEARTBEAT_TICK_MS}. */
  public String envName() {
    StringBuilder out = new StringBuilder("HEARTBEAT_");
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '.') {
        out.append('_');
      } else if (Character.isUpperCase(c)) {
        out.append('_').append(c);
      } else {
        out.append(Character.toUpperCase(c));
      }
    }
    return out.toString();
  }

  /** The system property that overrides this key, e.g. {@code heartbeat.tickMs}. */
  public String propertyName() {
    return "heartbeat." + key;
  }

  /** What values are accepted, for error messages and docs. */
  public String accepted() {
    switch (kind) {
      case INT:
      case LONG:
        return "an integer from " + min + " to " + max;
      case BOOLEAN:
        return "true or false";
      case CHOICE:
        return "one of " + String.join(", ", choices);
      case OPTIONAL_STRING:
        return "a string (empty for none)";
      default:
        return "a non-empty string";
    }
  }

  /**
   * Checks a value taken from the JSON file (already typed) or from a string (environment,
   * system property), and returns it in its canonical Java type.
   *
   * @param raw the value; a String when it comes from the environment or a property
   * @param source where it came from, for the error message
   */
  Object parse(Object raw, String source) throws ConfigException {
    boolean fromText = raw instanceof String && kind != Kind.STRING
        && kind != Kind.OPTIONAL_STRING && kind != Kind.CHOICE;
    String text = fromText ? ((String) raw).trim() : null;
    switch (kind) {
      case INT:
      case LONG: {
        Long value = null;
        if (fromText) {
          try {
            value = Long.parseLong(text);
          } catch (NumberFormatException e) {
            value = null;
          }
        } else if (raw instanceof java.math.BigInteger
            && ((java.math.BigInteger) raw).bitLength() > 63) {
          value = null;
        } else if (raw instanceof Number && isWhole((Number) raw)) {
          value = ((Number) raw).longValue();
        }
        if (value == null || value < min || value > max) {
          throw invalid(raw, source);
        }
        return kind == Kind.INT ? (Object) value.intValue() : (Object) value;
      }
      case BOOLEAN:
        if (raw instanceof Boolean) {
          return raw;
        }
        if (fromText && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
          return Boolean.parseBoolean(text);
        }
        throw invalid(raw, source);
      case CHOICE:
        if (raw instanceof String) {
          String upper = ((String) raw).trim().toUpperCase(Locale.ROOT);
          if (choices.contains(upper)) {
            return upper;
          }
        }
        throw invalid(raw, source);
      case OPTIONAL_STRING:
        if (raw instanceof String) {
          return ((String) raw).trim();
        }
        throw invalid(raw, source);
      default:
        if (raw instanceof String && !((String) raw).isBlank()) {
          return ((String) raw).trim();
        }
        throw invalid(raw, source);
    }
  }

  ConfigException invalid(Object raw, String source) {
    // JSON-quoted, so a value with a line break still gives a one-line message.
    String shown = secret ? shown(raw)
        : raw instanceof String ? io.vertx.core.json.Json.encode(raw) : String.valueOf(raw);
    return new ConfigException("Invalid setting " + key + " = " + shown + " (" + source
        + "): expected " + accepted() + ". " + description);
  }

  private static boolean isWhole(Number n) {
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      return d == Math.rint(d) && !Double.isInfinite(d);
    }
    return true;
  }
}
