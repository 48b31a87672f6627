package io.heartbeat.tools.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Entry point of the scale model. {@code single [sizes...]} runs {@link SingleJvmRun} at each
 * size (default 100,000, 1,000,000 and 5,000,000 connections); {@code cluster [size]} runs
 * {@link ClusterRun} on a three-node Hazelcast cluster on loopback (default 1,000,000);
 * {@code cluster-node} is the third node of that cluster, started and killed by it. Settings
 * come from system properties ({@link ModelSettings}). Prints a table, then one JSON line
 * starting with {@code SCALE-MODEL-JSON }.
 */
public final class ScaleModel {

  private ScaleModel() {
  }

  /** Runs the mode named by the first argument. */
  public static void main(String[] args) throws Exception {
    String mode = args.length == 0 ? "single" : args[0];
    ModelSettings settings = ModelSettings.fromSystemProperties();
    switch (mode) {
      case "single" -> single(settings, sizes(args, new int[] {100_000, 1_000_000, 5_000_000}));
      case "cluster" -> ClusterRun.main(settings, sizes(args, new int[] {1_000_000})[0]);
      case "cluster-node" -> ClusterRun.thirdNode(args);
      default -> {
        System.err.println("Unknown mode " + mode + ": expected single, cluster or cluster-node");
        System.exit(2);
      }
    }
  }

  private static int[] sizes(String[] args, int[] defaults) {
    if (args.length < 2) {
      return defaults;
    }
    int[] sizes = new int[args.length - 1];
    for (int i = 1; i < args.length; i++) {
      sizes[i - 1] = Integer.parseInt(args[i].replace("_", "").replace(",", ""));
    }
    return sizes;
  }

  private static void single(ModelSettings settings, int[] sizes) throws Exception {
    System.out.println(describe(settings));
    GcPauses gc = new GcPauses();
    List<Figures> runs = new ArrayList<>();
    for (int size : sizes) {
      System.out.printf(Locale.ROOT, "... %,d connections%n", size);
      Figures run = new SingleJvmRun(settings, gc).run(size);
      runs.add(run);
      System.out.print(Figures.table(List.of(run)));
    }
    print("single JVM", runs);
  }

  static String describe(ModelSettings s) {
    Runtime rt = Runtime.getRuntime();
    return String.format(Locale.ROOT, "Scale model: tick %d ms, maxMissed %d, probes %s,"
        + " %.2f%% of live connections go silent per tick, %d I/O instances on %d nodes,"
        + " %d warm-up + %d measured ticks; JVM %s, max heap %d MiB, %d CPUs, GC: %s",
        s.tickMs(), s.maxMissed(), s.probeEnabled() ? "on" : "off", s.silentPerTick() * 100,
        s.ioNodes() * s.instancesPerNode(), s.ioNodes(), s.warmupTicks(), s.ticks(),
        System.getProperty("java.vm.version"), rt.maxMemory() >> 20, rt.availableProcessors(),
        GcPauses.collectors());
  }

  static void print(String title, List<Figures> runs) {
    System.out.println();
    System.out.println(title);
    System.out.print(Figures.table(runs));
    io.vertx.core.json.JsonArray all = new io.vertx.core.json.JsonArray();
    runs.forEach(r -> all.add(r.json()));
    System.out.println("SCALE-MODEL-JSON " + new io.vertx.core.json.JsonObject()
        .put("mode", title).put("runs", all).encode());
  }
}
