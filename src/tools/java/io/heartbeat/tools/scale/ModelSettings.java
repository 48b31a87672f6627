package io.heartbeat.tools.scale;

/**
 * What one scale-model run uses: the service's defaults (tick 3 s, maxMissed 5, probes off)
 * unless asked otherwise, one heartbeat per connection per tick, and 0.1 % of the live
 * connections going silent at each tick (about 0.6 % silent at any time, each closed in its
 * window and replaced by a fresh connection).
 *
 * @param tickMs the monitor's tick
 * @param maxMissed ticks of silence before a close
 * @param probeEnabled whether the sweep also picks connections to probe
 * @param silentPerTick fraction of the live connections that go silent at each tick
 * @param warmupTicks ticks run before measuring (JIT warm-up)
 * @param ticks ticks measured
 * @param ioNodes nodes the synthetic I/O instances are spread over
 * @param instancesPerNode I/O instances per node
 */
record ModelSettings(long tickMs, int maxMissed, boolean probeEnabled, double silentPerTick,
    int warmupTicks, int ticks, int ioNodes, int instancesPerNode) {

  static ModelSettings fromSystemProperties() {
    return new ModelSettings(Long.getLong("scale.tickMs", 3000),
        Integer.getInteger("scale.maxMissed", 5),
        Boolean.parseBoolean(System.getProperty("scale.probe", "false")),
        Double.parseDouble(System.getProperty("scale.silentPerTick", "0.001")),
        Integer.getInteger("scale.warmupTicks", 5), Integer.getInteger("scale.ticks", 20),
        Integer.getInteger("scale.ioNodes", 3), Integer.getInteger("scale.instancesPerNode", 2));
  }

  long tickNanos() {
    return tickMs * 1_000_000;
  }

  /** The I/O instance keys of nodes 1..ioNodes. */
  int[] ioKeys() {
    int[] keys = new int[ioNodes * instancesPerNode];
    for (int n = 0; n < ioNodes; n++) {
      for (int i = 0; i < instancesPerNode; i++) {
        keys[n * instancesPerNode + i] = io.heartbeat.bus.ConnectionIds.ioKey(n + 1, i);
      }
    }
    return keys;
  }
}
