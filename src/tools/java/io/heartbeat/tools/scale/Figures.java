package io.heartbeat.tools.scale;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Named figures of one run, printed as a table row and as JSON. Insertion-ordered. */
final class Figures {

  private final Map<String, Object> values = new LinkedHashMap<>();

  Figures put(String name, Object value) {
    values.put(name, value instanceof Double d ? round(d) : value);
    return this;
  }

  Object get(String name) {
    return values.get(name);
  }

  JsonObject json() {
    return new JsonObject(new LinkedHashMap<>(values));
  }

  private static Object round(double d) {
    return Math.abs(d) >= 100 ? (Object) (double) Math.round(d)
        : Double.parseDouble(String.format(Locale.ROOT, "%.3g", d));
  }

  /** A table: one line per figure name, one column per run. */
  static String table(List<Figures> runs) {
    StringBuilder out = new StringBuilder();
    Map<String, Object> first = runs.get(0).values;
    int width = first.keySet().stream().mapToInt(String::length).max().orElse(10);
    for (String name : first.keySet()) {
      out.append(String.format(Locale.ROOT, "%-" + width + "s", name));
      for (Figures run : runs) {
        out.append(String.format(Locale.ROOT, " | %14s", run.values.get(name)));
      }
      out.append('\n');
    }
    return out.toString();
  }
}
