package io.heartbeat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/CONFIGURATION.md and {@link Settings} agree: every key has its row with its type,
 * default, range, unit, reloadability, environment variable, system property and meaning, and
 * the table names no key that does not exist. On a mismatch the table as it should be is
 * written to target/CONFIGURATION-table.md, to paste into the document.
 */
class ConfigurationDocTest {

  private static final Path DOC = Path.of("docs", "CONFIGURATION.md");

  @Test
  void everySettingHasItsRowAndEveryRowASetting() throws Exception {
    Map<String, String> documented = new LinkedHashMap<>();
    for (String line : Files.readAllLines(DOC)) {
      if (line.startsWith("| `")) {
        documented.put(line.substring(3, line.indexOf('`', 3)), line);
      }
    }
    String expected = Settings.all().stream().map(ConfigurationDocTest::row)
        .collect(Collectors.joining("\n", HEADER, "\n"));
    boolean agree = documented.size() == Settings.all().size()
        && Settings.all().stream().allMatch(s -> row(s).equals(documented.get(s.key())));
    if (!agree) {
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target", "CONFIGURATION-table.md"), expected);
    }
    for (Setting s : Settings.all()) {
      assertEquals(row(s), documented.get(s.key()), s.key() + " in " + DOC
          + " (expected table in target/CONFIGURATION-table.md)");
    }
    for (String key : documented.keySet()) {
      assertTrue(Settings.byKey(key) != null, DOC + " documents " + key + ", which is no setting");
    }
  }

  private static final String HEADER = """
      | key | type | default | range | unit | reloadable | environment | system property | meaning |
      |---|---|---|---|---|---|---|---|---|
      """;

  /** The table row of one setting. */
  static String row(Setting s) {
    return "| `" + s.key() + "` | " + type(s) + " | " + defaultValue(s) + " | " + range(s)
        + " | " + unit(s.key()) + " | " + (s.reloadable() ? "yes" : "no") + " | `"
        + s.envName() + "` | `-D" + s.propertyName() + "` | "
        + s.description().replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;") + " |";
  }

  private static String type(Setting s) {
    switch (s.kind()) {
      case INT:
      case LONG:
        return "integer";
      case BOOLEAN:
        return "boolean";
      case CHOICE:
        return "choice";
      default:
        return "string";
    }
  }

  private static String defaultValue(Setting s) {
    String value = String.valueOf(s.defaultValue());
    return value.isEmpty() ? "(empty)" : "`" + value + "`";
  }

  private static String range(Setting s) {
    switch (s.kind()) {
      case INT:
      case LONG:
        return s.accepted().replace("an integer from ", "").replace(" to ", " to ");
      case BOOLEAN:
        return "true, false";
      case CHOICE:
        return String.join(", ", s.choices());
      case OPTIONAL_STRING:
        return "any (empty for none)";
      default:
        return "non-empty";
    }
  }

  /** The unit a key's name states (tickMs, maxPayloadBytes, maxMissed...), or "-". */
  private static String unit(String key) {
    if (key.endsWith("Ms")) {
      return "ms";
    } else if (key.endsWith("Bytes")) {
      return "bytes";
    } else if (key.endsWith("Seconds")) {
      return "s";
    } else if (key.endsWith("PerSecond")) {
      return "per s";
    } else if (key.endsWith("Missed")) {
      return "ticks";
    }
    return "-";
  }

  @Test
  void theShippedConfigFileHoldsDefaultsOnly() throws Exception {
    String content = Files.readString(Path.of("conf", "config.json"));

    assertEquals(HeartbeatConfig.defaults(), ConfigLayers.validate(
        new io.vertx.core.json.JsonObject().put(ConfigLayers.FILE_CONTENT, content),
        "conf/config.json", new io.vertx.core.json.JsonObject()),
        "conf/config.json is documented as the defaults written out");
  }
}
