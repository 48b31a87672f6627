package io.heartbeat.testing;

import io.heartbeat.HeartbeatService;
import io.heartbeat.config.ConfigException;
import io.heartbeat.config.HeartbeatConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.TestInfo;

/** Settings and start-up of a real service for integration tests. */
public final class TestServices {

  /** Tick of the test services: tens of ms, so windows are short but well above timer jitter. */
  public static final long TICK_MS = 50;
  /** maxMissed of the test services. */
  public static final int MAX_MISSED = 3;

  private TestServices() {
  }

  /**
   * The I/O edge the socket-level suite runs on: system property {@code heartbeat.test.ioEdge}
   * (the build runs the server and operations tests once per edge), NETSERVER by default.
   */
  public static String ioEdge() {
    return System.getProperty("heartbeat.test.ioEdge", "NETSERVER");
  }

  /**
   * Loopback, a random port shared by two I/O instances (so commands and events cross
   * instances), tick {@value #TICK_MS} ms, maxMissed {@value #MAX_MISSED}, the edge under test.
   */
  public static JsonObject defaults() {
    return new JsonObject().put("host", "127.0.0.1").put("port", 0).put("ioInstances", 2)
        .put("tickMs", TICK_MS).put("maxMissed", MAX_MISSED).put("ioEdge", ioEdge());
  }

  /** {@link #defaults()} with the {@link ServiceSettings} of the test class, then the method. */
  public static JsonObject settingsFor(TestInfo info) {
    JsonObject settings = defaults();
    info.getTestClass().ifPresent(c -> {
      Deque<Class<?>> outermostFirst = new ArrayDeque<>();
      for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
        outermostFirst.push(k);
      }
      outermostFirst.forEach(k -> apply(settings, k));
    });
    info.getTestMethod().ifPresent(m -> apply(settings, m));
    return settings;
  }

  private static void apply(JsonObject settings, AnnotatedElement element) {
    ServiceSettings annotation = element.getAnnotation(ServiceSettings.class);
    if (annotation == null) {
      return;
    }
    for (String pair : annotation.value()) {
      int eq = pair.indexOf('=');
      String key = pair.substring(0, eq).trim();
      String text = pair.substring(eq + 1).trim();
      Object value;
      if (text.equals("true") || text.equals("false")) {
        value = Boolean.parseBoolean(text);
      } else if (text.matches("-?\\d+")) {
        value = Long.parseLong(text);
      } else {
        value = text;
      }
      settings.put(key, value);
    }
  }

  /** Validates {@code settings} (failing the future with the ConfigException if bad). */
  public static Future<HeartbeatConfig> config(JsonObject settings) {
    try {
      return Future.succeededFuture(HeartbeatConfig.fromJson(settings));
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
  }

  /** Starts a service (node 0, no config file) with {@code settings}. */
  public static Future<HeartbeatService> start(Vertx vertx, JsonObject settings) {
    return config(settings).compose(c -> HeartbeatService.start(vertx, c, (Path) null, 0));
  }
}
