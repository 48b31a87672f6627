package io.heartbeat.conformance;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import io.heartbeat.testing.JvmWarmUp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conformance kit: every scenario in src/test/resources/conformance/*.json, run against
 * the C client (hbclient) and the Java client (HeartbeatClient) and the real service; a pass
 * table per client per scenario is logged and written to target/conformance-table.txt.
 * System property {@code conformance.scenarios} (a regular expression on the scenario name)
 * runs a subset.
 */
class ConformanceTest {

  private static final Logger LOG = LoggerFactory.getLogger(ConformanceTest.class);
  private static final Path SCENARIOS = Path.of("src", "test", "resources", "conformance");
  private static final List<String> CLIENTS = List.of("C (hbclient)", "Java (HeartbeatClient)");
  private static final Map<String, Map<String, String>> RESULTS = new ConcurrentHashMap<>();

  /** The service's cold paths stall event loops longer than the scenarios' windows. */
  @BeforeAll
  static void warmUp() throws Exception {
    JvmWarmUp.once();
  }

  @TestFactory
  Stream<DynamicTest> everyScenarioAgainstEveryClient() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> files = Files.list(SCENARIOS)) {
      String only = System.getProperty("conformance.scenarios", ".*");
      for (Path file : files.filter(f -> f.toString().endsWith(".json"))
          .filter(f -> f.getFileName().toString().replace(".json", "").matches(only))
          .sorted().toList()) {
        JsonObject scenario = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
        String name = file.getFileName().toString().replace(".json", "");
        tests.add(DynamicTest.dynamicTest(name + " [C]",
            () -> run(name, scenario, CLIENTS.get(0), v -> new CClientDriver())));
        tests.add(DynamicTest.dynamicTest(name + " [Java]",
            () -> run(name, scenario, CLIENTS.get(1), JavaClientDriver::new)));
      }
    }
    return tests.stream();
  }

  private static void run(String name, JsonObject scenario, String clientName,
      Function<Vertx, ClientDriver> clientFactory) throws Exception {
    Map<String, String> row = RESULTS.computeIfAbsent(name, k -> new ConcurrentHashMap<>());
    // Stays so unless the run passes (a missing tool fails the test under CI; see Prerequisites).
    row.put(clientName, "FAIL or not run");
    Vertx vertx = Vertx.vertx();
    ServerDriver server = null;
    ClientDriver client = null;
    Takeover takeover = null;
    try {
      JsonObject settings = scenario.getJsonObject("server", new JsonObject());
      server = scenario.getBoolean("process", false) ? new ProcessServer(settings.copy())
          : new InProcessServer(vertx, settings.copy());
      EventLog log = new EventLog();
      JsonObject clientOptions = ScenarioTokens.clientOptions(vertx, scenario);
      takeover = new Takeover(vertx, settings, clientOptions);
      client = clientFactory.apply(vertx);
      client.start(server.port(), clientOptions, log);
      try {
        new ScenarioRun(scenario, server, log, takeover).run();
      } finally {
        writeEvents(name, clientName, log);
      }
      row.put(clientName, "PASS");
    } finally {
      if (takeover != null) {
        takeover.close();
      }
      if (client != null) {
        client.close();
      }
      if (server != null) {
        server.close();
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  /** Every run's events, passed or not, in target/conformance-events/, for a look at timing. */
  private static void writeEvents(String name, String clientName, EventLog log)
      throws IOException {
    Path dir = Path.of("target", "conformance-events");
    Files.createDirectories(dir);
    String client = clientName.startsWith("C") ? "c" : "java";
    StringBuilder text = new StringBuilder();
    log.events().forEach(e -> text.append(e).append('\n'));
    Files.writeString(dir.resolve(name + "-" + client + ".txt"), text);
  }

  @AfterAll
  static void printPassTable() throws IOException {
    StringBuilder table = new StringBuilder(String.format("%-34s %-14s %s%n", "scenario",
        CLIENTS.get(0), CLIENTS.get(1)));
    for (Map.Entry<String, Map<String, String>> row : new TreeMap<>(RESULTS).entrySet()) {
      table.append(String.format("%-34s %-14s %s%n", row.getKey(),
          row.getValue().getOrDefault(CLIENTS.get(0), "-"),
          row.getValue().getOrDefault(CLIENTS.get(1), "-")));
    }
    LOG.info("Conformance pass table:\n{}", table);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "conformance-table.txt"), table);
  }
}
