package io.heartbeat.cluster;

import java.nio.charset.StandardCharsets;

/**
 * One live monitor: its id (unique in the cluster), the node it runs on, and a 64-bit hash of
 * the id that seeds its rendezvous weights.
 *
 * @param id the monitor's id, e.g. {@code "7.0"} (node 7, first monitor)
 * @param node the heartbeat node number the monitor runs on
 * @param hash {@link #hashOf(String)} of the id
 */
public record MonitorRef(String id, int node, long hash) {

  /** A monitor with its hash computed from the id. */
  public static MonitorRef of(String id, int node) {
    return new MonitorRef(id, node, hashOf(id));
  }

  /** The id of monitor {@code index} on node {@code node}. */
  public static String idOf(int node, int index) {
    return node + "." + index;
  }

  /**
   * FNV-1a over the id's UTF-8 bytes, then a 64-bit finaliser: the same on every JVM (unlike
   * identity hashes), so every node computes the same assignment.
   */
  public static long hashOf(String id) {
    long h = 0xcbf29ce484222325L;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return mix(h);
  }

  /** MurmurHash3's fmix64: every input bit affects every output bit. */
  static long mix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
