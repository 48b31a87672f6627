package io.heartbeat.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace made for one test, joined to the root namespace by a veth pair on a
 * private /24 that exists only on that pair ({@code 10.201.S.1} on the root side,
 * {@code 10.201.S.2} inside). A peer run inside it reaches a service listening on all addresses
 * through {@code 10.201.S.1}; taking the inner end down makes its connections half-open (no FIN,
 * no RST ever reaches the service). {@link #close} deletes the namespace, which deletes the pair.
 */
final class NamespaceLink implements AutoCloseable {

  final String namespace;
  final String rootAddress;
  final String innerAddress;
  private final String rootDevice;
  private final String innerDevice;

  private NamespaceLink(String tag, int subnet) {
    this.namespace = "hbsoak-" + tag;
    this.rootDevice = "hbr" + tag;
    this.innerDevice = "hbi" + tag;
    this.rootAddress = "10.201." + subnet + ".1";
    this.innerAddress = "10.201." + subnet + ".2";
  }

  /**
   * Creates the namespace and its link.
   *
   * @param tag unique among live links, at most 11 characters (interface names are short)
   * @param subnet third octet of the link's /24, 0..255, unique among live links
   * @throws IllegalStateException when namespaces cannot be made here (not root, no iproute2)
   */
  static NamespaceLink create(String tag, int subnet) throws Exception {
    NamespaceLink link = new NamespaceLink(tag, subnet);
    run("ip", "netns", "add", link.namespace);
    try {
      run("ip", "link", "add", link.rootDevice, "type", "veth", "peer", "name",
          link.innerDevice);
      run("ip", "link", "set", link.innerDevice, "netns", link.namespace);
      run("ip", "addr", "add", link.rootAddress + "/24", "dev", link.rootDevice);
      run("ip", "link", "set", link.rootDevice, "up");
      run("ip", "-n", link.namespace, "addr", "add", link.innerAddress + "/24", "dev",
          link.innerDevice);
      run("ip", "-n", link.namespace, "link", "set", "lo", "up");
      run("ip", "-n", link.namespace, "link", "set", link.innerDevice, "up");
    } catch (Exception e) {
      link.close();
      throw e;
    }
    return link;
  }

  /** Command prefix that runs a program inside the namespace. */
  List<String> inside() {
    return List.of("ip", "netns", "exec", namespace);
  }

  /** Takes the inner end down: the peers inside fall silent without a word to the service. */
  void cut() throws Exception {
    run("ip", "-n", namespace, "link", "set", innerDevice, "down");
  }

  @Override
  public void close() {
    try {
      run("ip", "netns", "del", namespace);
    } catch (Exception e) {
      // Never made, or already gone.
    }
    try {
      run("ip", "link", "del", rootDevice);
    } catch (Exception e) {
      // Went with the namespace, as it should.
    }
  }

  static String run(String... command) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + ": " + out);
    }
    return out;
  }
}
