package io.heartbeat.admin;

import io.vertx.core.MultiMap;
import java.util.Set;

/**
 * Reads and range-checks query parameters and path segments. Every failure is a
 * {@link BadRequestException} naming the parameter, the value and what is accepted.
 */
final class Params {

  /** Largest value a JSON number carries exactly (2^53 - 1); connection ids stay below it. */
  static final long MAX_EXACT = (1L << 53) - 1;
  /** Longest value any parameter may have, in characters. */
  static final int MAX_VALUE_CHARS = 256;

  private Params() {
  }

  /** Refuses parameters outside {@code accepted} and parameters given more than once. */
  static void onlyKnown(MultiMap query, Set<String> accepted) {
    for (String name : query.names()) {
      if (!accepted.contains(name)) {
        throw new BadRequestException("unknown query parameter \"" + shorten(name)
            + "\"; accepted: " + String.join(", ", accepted.stream().sorted().toList()));
      }
      if (query.getAll(name).size() > 1) {
        throw new BadRequestException("query parameter " + name + " given more than once");
      }
    }
  }

  /** A whole number in [min, max], or {@code fallback} when absent. */
  static long longParam(MultiMap query, String name, long min, long max, long fallback) {
    String value = query.get(name);
    return value == null ? fallback : parseLong(name, value, min, max);
  }

  /** A non-empty string of at most {@link #MAX_VALUE_CHARS} characters, or null when absent. */
  static String stringParam(MultiMap query, String name) {
    String value = query.get(name);
    if (value == null) {
      return null;
    }
    if (value.isEmpty() || value.length() > MAX_VALUE_CHARS) {
      throw new BadRequestException(name + " must be 1.." + MAX_VALUE_CHARS
          + " characters, was " + value.length());
    }
    return value;
  }

  /** A connection id from a path segment: a whole number in [0, 2^53 - 1]. */
  static long connectionId(String segment) {
    return parseLong("connection id", segment == null ? "" : segment, 0, MAX_EXACT);
  }

  static long parseLong(String name, String value, long min, long max) {
    long parsed;
    try {
      parsed = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new BadRequestException(name + " must be a whole number in " + min + ".." + max
          + ", was \"" + shorten(value) + "\"");
    }
    if (parsed < min || parsed > max) {
      throw new BadRequestException(name + " must be in " + min + ".." + max + ", was "
          + parsed);
    }
    return parsed;
  }

  /** Echoes at most 40 characters of a bad value, so a huge value is not sent back whole. */
  private static String shorten(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }
}
