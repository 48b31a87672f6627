package io.heartbeat.faults;

import io.heartbeat.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces made by the test, a server host and a client host joined by a veth
 * pair on a private /24 that exists only between them. All traffic stays inside them; they are
 * deleted on close, even after a failure.
 */
final class TestNetwork implements AutoCloseable {

  final String serverNs;
  final String clientNs;
  final String serverAddress;
  private final String clientLink;

  private TestNetwork(int n) {
    serverNs = "hbS" + n;
    clientNs = "hbC" + n;
    serverAddress = "10.231." + (n % 250) + ".1";
    clientLink = "hvC" + n;
  }

  /** Creates the pair of hosts, or skips the test (with the reason) where that is impossible. */
  static TestNetwork create() throws Exception {
    TestNetwork net = new TestNetwork(ThreadLocalRandom.current().nextInt(10_000));
    String subnet = net.serverAddress.substring(0, net.serverAddress.lastIndexOf('.'));
    String serverLink = "hvS" + net.serverNs.substring(3);
    try {
      run("ip", "netns", "add", net.serverNs);
    } catch (IOException | IllegalStateException e) {
      Prerequisites.missing("cannot create network namespaces here: " + e.getMessage(),
          "run as root with iproute2 installed (apt-get install iproute2)");
    }
    try {
      run("ip", "netns", "add", net.clientNs);
      run("ip", "link", "add", serverLink, "type", "veth", "peer", "name", net.clientLink);
      run("ip", "link", "set", serverLink, "netns", net.serverNs);
      run("ip", "link", "set", net.clientLink, "netns", net.clientNs);
      run("ip", "-n", net.serverNs, "addr", "add", net.serverAddress + "/24", "dev", serverLink);
      run("ip", "-n", net.clientNs, "addr", "add", subnet + ".2/24", "dev", net.clientLink);
      for (String ns : List.of(net.serverNs, net.clientNs)) {
        run("ip", "-n", ns, "link", "set", "lo", "up");
      }
      run("ip", "-n", net.serverNs, "link", "set", serverLink, "up");
      run("ip", "-n", net.clientNs, "link", "set", net.clientLink, "up");
    } catch (Exception e) {
      net.close();
      throw e;
    }
    return net;
  }

  /** Command prefix that runs a program on the server host. */
  List<String> onServer() {
    return List.of("ip", "netns", "exec", serverNs);
  }

  /** Command prefix that runs a program on the client host. */
  List<String> onClient() {
    return List.of("ip", "netns", "exec", clientNs);
  }

  /** Takes the client host's link down: its packets go nowhere, nothing tells the server. */
  void cutClientLink() throws Exception {
    run("ip", "-n", clientNs, "link", "set", clientLink, "down");
  }

  @Override
  public void close() {
    for (String ns : List.of(clientNs, serverNs)) {
      try {
        run("ip", "netns", "del", ns);
      } catch (Exception e) {
        // Already gone or never made; nothing else holds it.
      }
    }
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + ": " + out);
    }
  }
}
