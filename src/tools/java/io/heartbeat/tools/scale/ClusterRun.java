package io.heartbeat.tools.scale;

import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.ConnectionIds;
import io.heartbeat.cluster.MonitorView;
import io.heartbeat.config.HeartbeatConfig;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The scale model on a real three-node Hazelcast cluster on 127.0.0.1: nodes 1 and 2 (role both)
 * run in this JVM, each with synthetic I/O instances holding half the connections and sending
 * their activity through the node's real ClusterActivityRouter; node 3 (role monitor) is a child
 * JVM. Rendezvous assignment gives every connection to a monitor on another node, so all
 * activity crosses nodes. After a steady window the child is killed with SIGKILL; the figures
 * are the steady window's (sweep per node, event-bus bytes and messages, CPU) and the failover:
 * kill to view change on the survivors (detection), view change to the last taken-over
 * connection applied (rebuild across nodes). Wall-clock ticks: a run takes a few minutes.
 */
final class ClusterRun {

  private ClusterRun() {
  }

  static void main(ModelSettings settings, int size) throws Exception {
    System.out.println(ScaleModel.describe(settings));
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      try (ServerSocket probe = new ServerSocket(0)) {
        ports.add(probe.getLocalPort());
      }
    }
    String members = ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    String name = "scale-model-" + UUID.randomUUID();
    Process third = startThird(name, ports.get(2), members);
    List<ScaleNode> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        nodes.add(ScaleNode.start(ScaleNode.config(settings, name, "BOTH", ports.get(i),
            members)));
      }
      new ClusterMeasurement(settings, size, nodes, third).run();
    } finally {
      third.destroyForcibly();
      for (ScaleNode node : nodes) {
        node.service.stop().eventually(() -> node.vertx.close()).await(60, TimeUnit.SECONDS);
      }
    }
  }

  /** Starts node 3 in its own JVM and waits until it says it is up. */
  private static Process startThird(String name, int port, String members) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("scale.classpath", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(java, "--add-modules", "java.se",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens",
        "java.base/sun.nio.ch=ALL-UNNAMED", "-Xms1g", "-Xmx1g", "-XX:+UseG1GC",
        "-Dhazelcast.logging.type=slf4j", "-Dhazelcast.phone.home.enabled=false"));
    for (String p : System.getProperties().stringPropertyNames()) {
      if (p.startsWith("scale.") && !p.equals("scale.classpath")) {
        command.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    command.addAll(List.of("-cp", classpath, ScaleModel.class.getName(), "cluster-node", name,
        String.valueOf(port), members));
    File log = new File("target/scale-model/node-3.log");
    Files.createDirectories(log.toPath().getParent());
    Process process = new ProcessBuilder(command).redirectError(log).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
    CountDownLatch up = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          if (line.startsWith("NODE-READY")) {
            up.countDown();
          }
        }
      } catch (IOException e) {
        // The child was killed: its output ends.
      }
    }, "node-3-output");
    reader.setDaemon(true);
    reader.start();
    process.onExit().thenRun(up::countDown);
    if (!up.await(2, TimeUnit.MINUTES) || !process.isAlive()) {
      process.destroyForcibly();
      throw new IllegalStateException("node 3 did not start; see " + log);
    }
    return process;
  }

  /** Node 3: role monitor, until it is killed. */
  static void thirdNode(String[] args) throws Exception {
    ModelSettings settings = ModelSettings.fromSystemProperties();
    HeartbeatConfig config = ScaleNode.config(settings, args[1], "MONITOR",
        Integer.parseInt(args[2]), args[3]);
    ScaleNode node = ScaleNode.start(config);
    System.out.println("NODE-READY " + node.service.node());
    System.out.flush();
    new CountDownLatch(1).await();
  }

  /** CPU time of a process in ms (utime + stime from /proc, clock ticks of 10 ms). */
  static double cpuMs(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0;
  }

  /**
   * The ids held at the kill ({@code fleets}) and still held afterwards ({@code still}, same
   * slots) whose owner moves from {@code lost} to {@code to}.
   */
  static long[] moved(List<long[]> fleets, List<long[]> still, MonitorView before,
      MonitorView after, String lost, String to) {
    List<Long> ids = new ArrayList<>();
    for (int k = 0; k < fleets.size(); k++) {
      long[] fleet = fleets.get(k);
      long[] now = still.get(k);
      for (int i = 0; i < fleet.length; i++) {
        long id = fleet[i];
        if (now[i] != id) {
          continue;
        }
        var was = before.ownerOf(id);
        var next = after.ownerOf(id);
        if (was != null && was.id().equals(lost) && next != null && next.id().equals(to)) {
          ids.add(id);
        }
      }
    }
    return ids.stream().mapToLong(Long::longValue).toArray();
  }

  static String describeNode(int node) {
    return String.format(Locale.ROOT, "node %d (%s)", node, Addresses.monitorActivity(
        io.heartbeat.cluster.MonitorRef.idOf(node, 0)));
  }

  static int nodeOf(int ioKey) {
    return ConnectionIds.nodeOfKey(ioKey);
  }
}
