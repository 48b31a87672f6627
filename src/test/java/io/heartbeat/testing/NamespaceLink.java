package io.heartbeat.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The one namespace helper: a network namespace made for one test or soak wave, joined to the
 * root namespace by a veth pair on a private /24 that exists only on that pair ({@code .1} on
 * the root side, {@code .2} inside). A peer run inside it reaches a service listening on all
 * addresses through {@link #rootAddress}; taking the inner end down makes its connections
 * half-open (no FIN, no RST ever reaches the service), as a pulled cable or a dead NAT would.
 * All traffic stays on the pair. {@link #close} deletes the namespace, which deletes the pair,
 * even after a failure.
 */
public final class NamespaceLink implements AutoCloseable {

  /** The namespace's name. */
  public final String namespace;
  /** The root side's address: peers inside reach the service through it. */
  public final String rootAddress;
  /** The address of the namespace's end. */
  public final String innerAddress;
  private final String rootDevice;
  private final String innerDevice;

  private NamespaceLink(String namePrefix, String network, String tag, int subnet) {
    this.namespace = namePrefix + tag;
    this.rootDevice = "hbr" + tag;
    this.innerDevice = "hbi" + tag;
    this.rootAddress = network + subnet + ".1";
    this.innerAddress = network + subnet + ".2";
  }

  /**
   * Creates a soak's namespace ({@code hbsoak-TAG}, which scripts/soak-waves deletes if a killed
   * run left it behind) and its link on {@code 10.201.SUBNET.0/24}.
   *
   * @param tag unique among live links, at most 11 characters (interface names are short)
   * @param subnet third octet of the link's /24, 0..255, unique among live links
   * @throws IllegalStateException when namespaces cannot be made here (not root, no iproute2)
   */
  public static NamespaceLink create(String tag, int subnet) throws Exception {
    return create(new NamespaceLink("hbsoak-", "10.201.", tag, subnet));
  }

  private static NamespaceLink create(NamespaceLink link) throws Exception {
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

  /**
   * A link for a test ({@code hbtest-TAG} on {@code 10.202.S.0/24}, apart from any soak's), on
   * a random tag and subnet: where namespaces cannot be made, fails the test under CI and
   * skips it elsewhere, saying what to install (see {@link Prerequisites}).
   */
  public static NamespaceLink forTest() throws Exception {
    int n = ThreadLocalRandom.current().nextInt(100_000);
    try {
      run("ip", "netns", "list");
    } catch (IllegalStateException e) {
      Prerequisites.missing("cannot run ip(8) here: " + e.getMessage(),
          "apt-get install iproute2");
    }
    try {
      return create(new NamespaceLink("hbtest-", "10.202.", "t" + n, n % 250));
    } catch (IllegalStateException e) {
      Prerequisites.missing("cannot create network namespaces here: " + e.getMessage(),
          "run as root (CAP_NET_ADMIN) with iproute2 installed");
      throw e;
    }
  }

  /** Command prefix that runs a program inside the namespace. */
  public List<String> inside() {
    return List.of("ip", "netns", "exec", namespace);
  }

  /** Takes the inner end down: the peers inside fall silent without a word to the service. */
  public void cut() throws Exception {
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

  /**
   * Runs a command (ip, ss, ...) and returns its output.
   *
   * @throws IllegalStateException with the output when it cannot start or exits non-zero
   */
  public static String run(String... command) throws Exception {
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
