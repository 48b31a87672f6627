package io.heartbeat.bus;

/**
 * Connection ids: a {@code long} that names the owning I/O instance, so any node can route a
 * command to the owner without a lookup.
 *
 * <pre>
 *   bits 63..53  always 0 (ids stay exact in JSON numbers and JavaScript)
 *   bits 52..32  ioKey: node number (13 bits) and instance number (8 bits)
 *   bits 31..0   sequence within the instance
 * </pre>
 */
public final class ConnectionIds {

  /** Largest node number (13 bits). */
  public static final int MAX_NODE = (1 << 13) - 1;
  /** Largest instance number per node (8 bits). */
  public static final int MAX_INSTANCE = (1 << 8) - 1;

  private ConnectionIds() {
  }

  /** The key of I/O instance {@code instance} on node {@code node}. */
  public static int ioKey(int node, int instance) {
    if (node < 0 || node > MAX_NODE || instance < 0 || instance > MAX_INSTANCE) {
      throw new IllegalArgumentException("node 0.." + MAX_NODE + " and instance 0.."
          + MAX_INSTANCE + " expected, got " + node + "/" + instance);
    }
    return node << 8 | instance;
  }

  /** The id of the {@code sequence}-th connection of an I/O instance (sequence taken mod 2^32). */
  public static long id(int ioKey, long sequence) {
    return (long) ioKey << 32 | (sequence & 0xFFFF_FFFFL);
  }

  /**
   * The key to store a connection id under in a primitive hash map. Netty's LongObjectHashMap
   * folds the two halves of a key together without mixing, so ids of different I/O instances
   * (same sequence, different high bits) fall into one dense run of slots and every lookup
   * scans it. Multiplying by an odd constant is a bijection that spreads them.
   */
  public static long mapKey(long connectionId) {
    return connectionId * 0x9E3779B97F4A7C15L;
  }

  /** The owning I/O instance's key. */
  public static int ioKeyOf(long connectionId) {
    return (int) (connectionId >>> 32);
  }

  /** The node number of the owning I/O instance. */
  public static int nodeOf(long connectionId) {
    return ioKeyOf(connectionId) >>> 8;
  }

  /** The node number part of an I/O instance key. */
  public static int nodeOfKey(int ioKey) {
    return ioKey >>> 8;
  }
}
