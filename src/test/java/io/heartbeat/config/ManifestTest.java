package io.heartbeat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.properties.PropertyDefinition;
import com.hazelcast.kubernetes.KubernetesProperties;
// Hazelcast ships a YAML parser (for its own YAML configuration); no YAML library of our own.
import com.hazelcast.shaded.org.snakeyaml.engine.v2.api.Load;
import com.hazelcast.shaded.org.snakeyaml.engine.v2.api.LoadSettings;
import io.heartbeat.HeartbeatService;
import io.heartbeat.config.ConfigLayers;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.config.Setting;
import io.heartbeat.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shipped Kubernetes manifests (conf/k8s) and systemd unit (conf/systemd) against the code:
 * every probe path answers 200 without a token on a running admin API, every port and
 * HEARTBEAT_* variable is a setting with a valid value, stop timeouts exceed the shutdown grace,
 * and Hazelcast discovery points at the headless service.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ManifestTest {

  private static final Path K8S = Path.of("conf", "k8s");
  private static final Path UNIT = Path.of("conf", "systemd", "heartbeat.service");
  /** Stand-in for values Kubernetes fills in at run time ($(POD_IP)). */
  private static final String SAMPLE_POD_IP = "10.244.0.7";

  private static List<Map<String, Object>> documents;
  private static Map<String, Object> statefulSet;
  private static Map<String, Object> container;

  @BeforeAll
  static void load() throws IOException {
    documents = new ArrayList<>();
    Load yaml = new Load(LoadSettings.builder().build());
    try (Stream<Path> files = Files.list(K8S)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object doc : yaml.loadAllFromString(Files.readString(file))) {
          documents.add(map(doc));
        }
      }
    }
    statefulSet = kind("StatefulSet");
    List<Object> containers = list(path(statefulSet, "spec", "template", "spec", "containers"));
    assertEquals(1, containers.size(), "one container in the StatefulSet");
    container = map(containers.get(0));
  }

  @Test
  void probePathsAnswerWithoutTokenOnARunningAdminApi(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    Set<String> paths = new LinkedHashSet<>();
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      if (container.containsKey(probe)) {
        paths.add((String) path(container, probe, "httpGet", "path"));
      }
    }
    assertTrue(paths.containsAll(Set.of("/health", "/ready")), "probes: " + paths);
    // A path the API does not serve, so the check below is seen to tell them apart.
    paths.add("/healthz");
    HeartbeatConfig config = HeartbeatConfig.fromJson(new JsonObject().put("host", "127.0.0.1")
        .put("port", 0).put("tickMs", 50).put("maxMissed", 5).put("admin.port", 0)
        .put("admin.token", "probes-send-no-token"));
    HttpClient http = vertx.createHttpClient();
    HeartbeatService.start(vertx, config, new HeartbeatService.Options().admin(true))
        .compose(service -> {
          List<Future<String>> answers = new ArrayList<>();
          for (String p : paths) {
            answers.add(http.request(new RequestOptions().setMethod(HttpMethod.GET)
                    .setHost("127.0.0.1").setPort(service.adminPort()).setURI(p))
                .compose(r -> r.send()).map(r -> p + " " + r.statusCode()));
          }
          return Future.all(answers).map(all -> all.<String>list());
        })
        .onComplete(ctx.succeeding(answers -> ctx.verify(() -> {
          for (String answer : answers) {
            if (answer.startsWith("/healthz ")) {
              assertNotEquals("/healthz 200", answer);
            } else {
              assertTrue(answer.endsWith(" 200"), "probe path " + answer);
            }
          }
          ctx.completeNow();
        })));
  }

  @Test
  void containerPortsAndProbePortsAreTheConfiguredPorts() throws Exception {
    HeartbeatConfig config = podConfig();
    Map<String, Integer> ports = new HashMap<>();
    for (Object p : list(container.get("ports"))) {
      ports.put((String) map(p).get("name"), (Integer) map(p).get("containerPort"));
    }
    assertEquals(config.port(), ports.get("client"));
    assertEquals(config.adminPort(), ports.get("admin"));
    assertEquals(config.clusterPort(), ports.get("eventbus"));
    assertEquals(hazelcast(config).getNetworkConfig().getPort(), ports.get("hazelcast"));
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      if (container.containsKey(probe)) {
        Object port = path(container, probe, "httpGet", "port");
        assertEquals(config.adminPort(), port instanceof Integer n ? n : ports.get(port), probe);
      }
    }
    for (Map<String, Object> service : all("Service")) {
      for (Object p : list(path(service, "spec", "ports"))) {
        Object target = map(p).get("targetPort");
        assertTrue(ports.containsKey(target) || ports.containsValue(target),
            "Service " + path(service, "metadata", "name") + " targets " + target);
      }
    }
    Map<String, Object> annotations = map(path(statefulSet, "spec", "template", "metadata",
        "annotations"));
    assertEquals(String.valueOf(config.adminPort()), annotations.get("prometheus.io/port"));
  }

  @Test
  void everyHeartbeatVariableIsASettingWithAValidValue() throws Exception {
    Set<String> known = Settings.all().stream().map(Setting::envName)
        .collect(Collectors.toSet());
    Map<String, String> podEnv = podEnvironment();
    Map<String, String> unitEnv = unitEnvironment();
    assertFalse(podEnv.isEmpty());
    assertFalse(unitEnv.isEmpty());
    for (String name : concat(podEnv.keySet(), unitEnv.keySet())) {
      if (name.startsWith("HEARTBEAT_")) {
        assertTrue(known.contains(name), name + " is not a setting");
      }
    }
    assertTrue(podConfig().clusterEnabled());
    assertEquals(SAMPLE_POD_IP, podConfig().clusterHost());
    assertEquals("0.0.0.0", podConfig().adminHost(), "probes come from outside the pod");
    // Every value validated the way the service validates it at start.
    environmentConfig(unitEnv, UNIT);
  }

  @Test
  void stopTimeoutsLeaveTheShutdownGraceAndThePacedGoodbyesTimeToFinish() throws Exception {
    HeartbeatConfig pod = podConfig();
    long podGrace = ((Integer) path(statefulSet, "spec", "template", "spec",
        "terminationGracePeriodSeconds")) * 1000L;
    assertTrue(podGrace > drainMs(pod), "terminationGracePeriodSeconds " + podGrace
        + " ms vs drain " + drainMs(pod) + " ms");

    Map<String, String> unit = unitDirectives();
    HeartbeatConfig host = environmentConfig(unitEnvironment(), UNIT);
    long stopMs = Long.parseLong(unit.get("TimeoutStopSec")) * 1000L;
    assertTrue(stopMs > drainMs(host), "TimeoutStopSec " + stopMs + " ms vs drain "
        + drainMs(host) + " ms");
    assertEquals("SIGTERM", unit.getOrDefault("KillSignal", "SIGTERM"));
    assertEquals("on-failure", unit.get("Restart"));
    long openFiles = Long.parseLong(unit.get("LimitNOFILE"));
    assertTrue(openFiles > host.maxConnections() + 1000L, "LimitNOFILE " + openFiles
        + " leaves no room above maxConnections " + host.maxConnections());
  }

  @Test
  void hazelcastDiscoversMembersThroughTheHeadlessService() throws Exception {
    Map<String, Object> headless = all("Service").stream()
        .filter(s -> "None".equals(path(s, "spec", "clusterIP"))).findFirst().orElseThrow();
    String name = (String) path(headless, "metadata", "name");
    String namespace = (String) path(headless, "metadata", "namespace");
    assertEquals(name, path(statefulSet, "spec", "serviceName"));
    assertEquals(Boolean.TRUE, path(headless, "spec", "publishNotReadyAddresses"),
        "members must find each other before they are ready");
    Map<String, Object> podLabels = map(path(statefulSet, "spec", "template", "metadata",
        "labels"));
    assertTrue(podLabels.entrySet().containsAll(map(path(headless, "spec", "selector"))
        .entrySet()));

    Config hazelcast = hazelcast(podConfig());
    JoinConfig join = hazelcast.getNetworkConfig().getJoin();
    assertFalse(join.getTcpIpConfig().isEnabled());
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
    assertTrue(join.getKubernetesConfig().isEnabled(), "Kubernetes discovery enabled");
    Map<String, String> properties = join.getKubernetesConfig().getProperties();
    Set<String> understood = kubernetesPropertyKeys();
    for (String key : properties.keySet()) {
      assertTrue(understood.contains(key), key + " is not a Hazelcast Kubernetes property");
    }
    assertEquals(name + "." + namespace + ".svc.cluster.local", properties.get("service-dns"));
    assertEquals(String.valueOf(hazelcast.getNetworkConfig().getPort()),
        properties.get("service-port"));
    Object memberPort = list(path(headless, "spec", "ports")).stream().map(ManifestTest::map)
        .filter(p -> "hazelcast".equals(p.get("name"))).findFirst().orElseThrow().get("port");
    assertEquals(hazelcast.getNetworkConfig().getPort(), memberPort);
  }

  @Test
  void containerAsksForResourcesAndRunsAsNonRoot() {
    assertNotNull(path(container, "resources", "requests", "cpu"));
    assertNotNull(path(container, "resources", "requests", "memory"));
    assertNotNull(path(container, "resources", "limits", "memory"));
    Map<String, Object> security = map(path(statefulSet, "spec", "template", "spec",
        "securityContext"));
    assertEquals(Boolean.TRUE, security.get("runAsNonRoot"));
    assertNotEquals(0, security.get("runAsUser"));
  }

  /** SIGTERM to exit: the grace plus the GOODBYEs to a full process at the paced rate. */
  private static long drainMs(HeartbeatConfig config) {
    long goodbyesMs = 1000L * config.maxConnections() / config.shutdownGoodbyesPerSecond();
    return config.shutdownGraceMs() + goodbyesMs;
  }

  private static HeartbeatConfig podConfig() throws Exception {
    return environmentConfig(podEnvironment(), K8S);
  }

  /** The settings a process started with {@code env} (and no config file) runs on. */
  private static HeartbeatConfig environmentConfig(Map<String, String> env, Object where)
      throws Exception {
    return ConfigLayers.validate(new JsonObject(new java.util.HashMap<>(env)),
        String.valueOf(where),
        new JsonObject());
  }

  private static Config hazelcast(HeartbeatConfig config) throws IOException {
    Path file = Path.of(config.clusterConfigFile());
    assertTrue(Files.isRegularFile(file), "cluster.configFile " + file + " is shipped");
    return Config.loadFromFile(file.toFile());
  }

  private static Set<String> kubernetesPropertyKeys() throws IllegalAccessException {
    Set<String> keys = new LinkedHashSet<>();
    for (Field f : KubernetesProperties.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == PropertyDefinition.class) {
        keys.add(((PropertyDefinition) f.get(null)).key());
      }
    }
    assertTrue(keys.contains("service-dns"));
    return keys;
  }

  /** The container's literal variables, with $(VAR) references to downward-API values filled. */
  private static Map<String, String> podEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    for (Object o : list(container.get("env"))) {
      Map<String, Object> var = map(o);
      String name = (String) var.get("name");
      if (var.containsKey("value")) {
        env.put(name, String.valueOf(var.get("value")));
      } else if ("status.podIP".equals(path(var, "valueFrom", "fieldRef", "fieldPath"))) {
        env.put(name, SAMPLE_POD_IP);
      }
    }
    env.replaceAll((k, v) -> {
      Matcher m = Pattern.compile("\\$\\((\\w+)\\)").matcher(v);
      return m.replaceAll(r -> Matcher.quoteReplacement(env.getOrDefault(r.group(1), r.group())));
    });
    return env;
  }

  private static Map<String, String> unitEnvironment() throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(UNIT)) {
      if (line.startsWith("Environment=")) {
        String pair = line.substring("Environment=".length());
        env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
      }
    }
    return env;
  }

  private static Map<String, String> unitDirectives() throws IOException {
    Map<String, String> directives = new HashMap<>();
    for (String line : Files.readAllLines(UNIT)) {
      if (!line.startsWith("#") && line.contains("=")) {
        directives.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
      }
    }
    return directives;
  }

  private static Set<String> concat(Set<String> a, Set<String> b) {
    Set<String> both = new LinkedHashSet<>(a);
    both.addAll(b);
    return both;
  }

  private static Map<String, Object> kind(String kind) {
    List<Map<String, Object>> found = all(kind);
    assertEquals(1, found.size(), "one " + kind + " in " + K8S);
    return found.get(0);
  }

  private static List<Map<String, Object>> all(String kind) {
    return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
  }

  private static Object path(Map<String, Object> node, String... keys) {
    Object at = node;
    for (String key : keys) {
      if (!(at instanceof Map<?, ?> m)) {
        return null;
      }
      at = m.get(key);
    }
    return at;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object node) {
    assertTrue(node instanceof Map, "expected a mapping, got " + node);
    return (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object node) {
    assertTrue(node instanceof List, "expected a sequence, got " + node);
    return (List<Object>) node;
  }
}
