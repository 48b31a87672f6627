package io.heartbeat.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import io.heartbeat.config.ConfigException;
import io.heartbeat.config.HeartbeatConfig;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds what a clustered node needs before Vert.x starts: the Hazelcast configuration (from
 * {@code cluster.configFile}, conf/cluster.xml by default, with the cluster.name,
 * cluster.hazelcastPort and cluster.members overrides applied) and the event-bus address.
 * One {@link Config} and one {@link HazelcastClusterManager} per Vert.x instance: Hazelcast
 * writes into the Config when it joins.
 */
public final class ClusterSetup {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterSetup.class);

  private ClusterSetup() {
  }

  /** A new cluster manager over {@link #hazelcastConfig(HeartbeatConfig)}. */
  public static HazelcastClusterManager clusterManager(HeartbeatConfig config)
      throws ConfigException {
    return new HazelcastClusterManager(hazelcastConfig(config));
  }

  /**
   * Reads the Hazelcast XML and applies the overrides.
   *
   * @throws ConfigException when the file is missing or invalid, or a member is malformed
   */
  public static Config hazelcastConfig(HeartbeatConfig config) throws ConfigException {
    Path file = Path.of(config.clusterConfigFile());
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("Cluster configuration " + file + " does not exist; set"
          + " cluster.configFile (HEARTBEAT_CLUSTER_CONFIG_FILE) to a Hazelcast XML file such as"
          + " the project's conf/cluster.xml.");
    }
    Config hazelcast;
    try {
      hazelcast = Config.loadFromFile(file.toFile());
    } catch (FileNotFoundException | RuntimeException e) {
      String detail = String.valueOf(e.getMessage()).split("\n")[0];
      throw new ConfigException("Cluster configuration " + file + " is not a valid Hazelcast"
          + " configuration: " + detail);
    }
    hazelcast.setProperty("hazelcast.logging.type", "slf4j");
    if (!config.clusterName().isEmpty()) {
      hazelcast.setClusterName(config.clusterName());
    }
    NetworkConfig network = hazelcast.getNetworkConfig();
    if (config.clusterHazelcastPort() > 0) {
      network.setPort(config.clusterHazelcastPort()).setPortAutoIncrement(false);
    }
    if (!config.clusterMembers().isEmpty()) {
      TcpIpConfig tcp = network.getJoin().getTcpIpConfig();
      tcp.setEnabled(true).setMembers(members(config.clusterMembers()));
    }
    warnIfExposed(hazelcast, file);
    return hazelcast;
  }

  /** Event bus for other nodes on cluster.host:cluster.port. */
  public static VertxOptions eventBus(VertxOptions options, HeartbeatConfig config) {
    options.getEventBusOptions().setHost(config.clusterHost()).setPort(config.clusterPort());
    return options;
  }

  private static List<String> members(String list) throws ConfigException {
    List<String> members = new ArrayList<>();
    for (String part : list.split(",")) {
      String member = part.trim();
      if (!member.matches("[A-Za-z0-9._:\\[\\]-]+(:[0-9]{1,5})?")) {
        throw new ConfigException("Invalid setting cluster.members = \"" + list + "\": expected"
            + " comma-separated host:port entries (no port ranges), e.g."
            + " 127.0.0.1:5701,127.0.0.1:5702");
      }
      members.add(member);
    }
    return members;
  }

  /** Open-source Hazelcast has no authentication: say so when the file lets anyone in. */
  private static void warnIfExposed(Config hazelcast, Path file) {
    NetworkConfig network = hazelcast.getNetworkConfig();
    if (network.getJoin().getMulticastConfig().isEnabled()) {
      LOG.warn("{} enables multicast join: any host on the network segment can join the"
          + " cluster; use TCP-IP join with an explicit member list", file);
    }
    if (!network.getInterfaces().isEnabled()) {
      LOG.warn("{} does not restrict Hazelcast to explicit interfaces: it listens on every"
          + " address; list the private interface under <interfaces enabled=\"true\">", file);
    }
    if (Config.DEFAULT_CLUSTER_NAME.equals(hazelcast.getClusterName())) {
      LOG.warn("{} uses Hazelcast's default cluster name \"{}\": set a name of your own", file,
          Config.DEFAULT_CLUSTER_NAME);
    }
  }
}
