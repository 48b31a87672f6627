package io.heartbeat.bus;

/**
 * Every event-bus address the service uses; docs/EMBEDDING.md documents each with its message
 * format.
 *
 * <p>Application-facing: {@link #CONNECTION_OPENED}, {@link #CONNECTION_CLOSED},
 * {@link #CONNECTION_DATA} (published) and {@link #COMMAND} (request/reply). Internal:
 * {@link #MONITOR_ACTIVITY}, {@link #MONITOR_RESYNC}, {@link #CONFIG_CHANGED}, the per-I/O
 * instance address {@link #ioInstance(int)} and, when clustered, {@link #CLUSTER_ANNOUNCE},
 * {@link #CLUSTER_VIEW} and the per-monitor address {@link #monitorActivity(String)}.
 */
public final class Addresses {

  /** Published JSON when a connection is accepted: see {@link LifecycleEvents#opened}. */
  public static final String CONNECTION_OPENED = "heartbeat.connection.opened";
  /** Published JSON when a connection is closed, with its reason: {@link LifecycleEvents#closed}. */
  public static final String CONNECTION_CLOSED = "heartbeat.connection.closed";
  /** Published JSON for every DATA frame and every non-empty HEARTBEAT payload received. */
  public static final String CONNECTION_DATA = "heartbeat.connection.data";
  /**
   * Application commands (JSON, request/reply): send DATA, set the ack payload, kick. Any I/O
   * instance takes the request and forwards it to the owner of the connection.
   */
  public static final String COMMAND = "heartbeat.command";
  /** Published: a client id came online ({@link LifecycleEvents#online}). */
  public static final String CLIENT_ONLINE = "heartbeat.client.online";
  /** Published: a client id went offline ({@link LifecycleEvents#offline}). */
  public static final String CLIENT_OFFLINE = "heartbeat.client.offline";
  /** I/O instance to monitor: activity batches ({@link ActivityBatch}, a Buffer). */
  public static final String MONITOR_ACTIVITY = "heartbeat.monitor.activity";
  /** Published by a monitor when it starts: every I/O instance answers with a full snapshot. */
  public static final String MONITOR_RESYNC = "heartbeat.monitor.resync";
  /** Published JSON with the effective configuration after a run-time change (this node only). */
  public static final String CONFIG_CHANGED = "heartbeat.config.changed";
  /**
   * Clustered: published by every node every half tick, naming the node and its live monitors
   * (see io.heartbeat.cluster.Announce).
   */
  public static final String CLUSTER_ANNOUNCE = "heartbeat.cluster.announce";
  /**
   * Clustered, local to one node: the node's view of the live monitors changed; JSON
   * {@code {"lost":[node...]}} names I/O nodes that left the cluster with it.
   */
  public static final String CLUSTER_VIEW = "heartbeat.cluster.view";

  private static final String IO_PREFIX = "heartbeat.io.";
  private static final String MONITOR_PREFIX = "heartbeat.monitor.";

  private Addresses() {
  }

  /**
   * Address of the I/O instance with this key for JSON commands: forwarded application commands
   * and the admin API's list, describe, drain and undrain.
   */
  public static String ioInstance(int ioKey) {
    return IO_PREFIX + ioKey;
  }

  /** The monitor's {@link CloseCommand}s to the I/O instance with this key. */
  public static String ioClose(int ioKey) {
    return IO_PREFIX + ioKey + ".close";
  }

  /** The monitor's {@link ProbeCommand}s to the I/O instance with this key. */
  public static String ioProbe(int ioKey) {
    return IO_PREFIX + ioKey + ".probe";
  }

  /** Clustered: activity batches and snapshots for the monitor with this id. */
  public static String monitorActivity(String monitorId) {
    return MONITOR_PREFIX + monitorId + ".activity";
  }

  /** Address of the I/O instance that owns a connection. */
  public static String ownerOf(long connectionId) {
    return ioInstance(ConnectionIds.ioKeyOf(connectionId));
  }
}
