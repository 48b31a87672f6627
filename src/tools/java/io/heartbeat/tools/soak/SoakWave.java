package io.heartbeat.tools.soak;

import static io.heartbeat.testing.scenario.Scenarios.header;

import io.heartbeat.protocol.FrameType;
import io.heartbeat.testing.CClient;
import io.heartbeat.testing.NamespaceLink;
import io.heartbeat.testing.ServiceProcess;
import io.heartbeat.testing.scenario.LoopbackSources;
import io.heartbeat.testing.scenario.Peer;
import io.heartbeat.testing.scenario.Scenarios;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One wave of soak victims: silent and dripping peers held by the driver, frozen peers (C client
 * processes stopped with SIGSTOP) and half-open peers (C clients in a namespace of their own
 * whose link is taken down). {@link #launch} sets them up and turns them into victims;
 * {@link #finish} waits for the service to close them, then frees what they used.
 */
final class SoakWave {

  /** A victim in another process: where it connects from, and the service's verdict on it. */
  record ProcessVictim(String kind, String host, int port, long deadSinceWallMs,
      CompletableFuture<ServiceProcess.Close> close) {
  }

  private static final Pattern ENDPOINT = Pattern.compile(
      "([0-9.]+):(\\d+)\\s+[0-9.]+:(\\d+)\\s+users:\\(\\(\"classic_client\",pid=(\\d+),");

  final int number;
  final List<Peer> silent = new ArrayList<>();
  final List<Peer> drippers = new ArrayList<>();
  final List<ProcessVictim> processVictims = new ArrayList<>();
  final List<String> problems = new ArrayList<>();
  private final List<CClient> clients = new ArrayList<>();
  private NamespaceLink link;
  private long dripTimer = -1;
  private final Vertx vertx;

  private SoakWave(int number, Vertx vertx) {
    this.number = number;
    this.vertx = vertx;
  }

  /** Sets up wave {@code number}'s victims and makes them victims; blocks a few ticks. */
  static SoakWave launch(int number, Vertx vertx, ServiceProcess server, SoakRun.Options o,
      LoopbackSources silentSources, LoopbackSources dripSources, boolean namespaces) {
    SoakWave wave = new SoakWave(number, vertx);
    int port = server.port();
    wave.silent.addAll(Scenarios.connectPeers(silentSources, port, o.silent()));
    wave.drippers.addAll(Scenarios.connectPeers(dripSources, port, o.drip()));
    wave.startDripping(o.tickMs());
    try {
      wave.freeze(server, o);
    } catch (Exception e) {
      wave.problems.add("wave " + number + ": frozen victims: " + e);
    }
    if (namespaces && o.halfOpen() > 0) {
      try {
        wave.cutOff(server, o);
      } catch (Exception e) {
        wave.problems.add("wave " + number + ": half-open victims: " + e);
      }
    }
    return wave;
  }

  /** A last heartbeat, then a header promising 1,000 bytes and one of them every half tick. */
  private void startDripping(long tickMs) {
    Buffer promise = Buffer.buffer(header(FrameType.DATA, 1000));
    Buffer oneByte = Buffer.buffer(new byte[1]);
    Scenarios.awaitAll(drippers.stream()
        .map(peer -> peer.heartbeat().compose(v -> peer.raw(promise))).toList());
    dripTimer = vertx.setPeriodic(Math.max(1, tickMs / 2), t -> drippers.forEach(peer -> {
      if (!peer.isClosed()) {
        peer.raw(oneByte);
      }
    }));
  }

  private void freeze(ServiceProcess server, SoakRun.Options o) throws Exception {
    List<CClient> frozen = new ArrayList<>();
    for (int i = 0; i < o.frozen(); i++) {
      CClient c = CClient.start(server.port(), o.tickMs(), CClient.UNTIL_STOPPED, "127.0.0.1", List.of());
      clients.add(c);
      frozen.add(c);
    }
    for (CClient c : frozen) {
      c.line("ack 2").get(30, TimeUnit.SECONDS);
      String[] endpoint = endpoint(c, List.of(), server.port());
      c.signal("STOP");
      processVictims.add(victim("frozen", endpoint, server));
    }
  }

  private void cutOff(ServiceProcess server, SoakRun.Options o) throws Exception {
    link = NamespaceLink.create(ProcessHandle.current().pid() % 100_000 + "w" + number,
        number % 250);
    List<CClient> inside = new ArrayList<>();
    for (int i = 0; i < o.halfOpen(); i++) {
      CClient c = CClient.start(server.port(), o.tickMs(), CClient.UNTIL_STOPPED, link.rootAddress, link.inside());
      clients.add(c);
      inside.add(c);
    }
    List<String[]> endpoints = new ArrayList<>();
    for (CClient c : inside) {
      c.line("ack 2").get(30, TimeUnit.SECONDS);
      endpoints.add(endpoint(c, link.inside(), server.port()));
    }
    link.cut();
    for (String[] endpoint : endpoints) {
      processVictims.add(victim("half-open", endpoint, server));
    }
  }

  private static ProcessVictim victim(String kind, String[] endpoint, ServiceProcess server) {
    String host = endpoint[0];
    int port = Integer.parseInt(endpoint[1]);
    return new ProcessVictim(kind, host, port, System.currentTimeMillis(),
        server.closeOf(c -> c.port() == port && c.host().equals(host)));
  }

  /** The C client's own address and port, from ss (run where the client runs). */
  private static String[] endpoint(CClient c, List<String> prefix, int serverPort)
      throws Exception {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of("ss", "-tnpH", "state", "established", "( dport = :" + serverPort
        + " )"));
    String out = NamespaceLink.run(command.toArray(new String[0]));
    Matcher m = ENDPOINT.matcher(out);
    while (m.find()) {
      if (Long.parseLong(m.group(4)) == c.pid()) {
        return new String[] {m.group(1), m.group(2)};
      }
    }
    throw new IllegalStateException("no socket of C client " + c.pid() + " in: " + out);
  }

  /**
   * Waits, {@code limitMs} at most, for the service to close every victim of the wave, then
   * resumes and ends the client processes and deletes the namespace.
   */
  void finish(long limitMs) {
    long deadline = System.currentTimeMillis() + limitMs;
    List<Peer> peers = new ArrayList<>(silent);
    peers.addAll(drippers);
    Scenarios.awaitClosed(peers, limitMs);
    for (ProcessVictim v : processVictims) {
      try {
        v.close().get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        // Judged as "not closed" later.
      }
    }
    if (dripTimer >= 0) {
      vertx.cancelTimer(dripTimer);
    }
    clients.forEach(CClient::close);
    if (link != null) {
      link.close();
    }
  }

  /** Ends everything at once (the driver is exiting). */
  void abort() {
    clients.forEach(CClient::close);
    if (link != null) {
      link.close();
    }
  }
}
