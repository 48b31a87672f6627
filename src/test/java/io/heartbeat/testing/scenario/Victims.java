package io.heartbeat.testing.scenario;

import io.heartbeat.testing.ServiceProcess;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Judges connections that stopped showing life (silent, dripping, frozen, half-open) against the
 * {@link VerdictWindow}, from both ends: this side's view (last complete frame written to close
 * seen) and the service's own close line (reason and "ms since last frame"). Adds figures and
 * violations to a report.
 */
public final class Victims {

  private static final long LOG_LAG_LIMIT_MS = 5_000;

  private Victims() {
  }

  /** The service's close lines by "host:port" of the peer. */
  public static Map<String, ServiceProcess.Close> byPeer(List<ServiceProcess.Close> closes) {
    Map<String, ServiceProcess.Close> map = new HashMap<>();
    for (ServiceProcess.Close c : closes) {
      map.put(c.host() + ":" + c.port(), c);
    }
    return map;
  }

  /**
   * Every peer must have been closed by the service for {@code timeout} inside the window after
   * its last complete frame: lower edge strict, upper edge widened only by the stalls the
   * service reported meanwhile.
   *
   * @return the client-side delays in ms, for comparisons
   */
  public static List<Long> judge(String role, List<Peer> peers, ServiceProcess server,
      VerdictWindow window, Report report) {
    awaitLines(peers, server);
    Map<String, ServiceProcess.Close> lines = byPeer(server.closes());
    List<ServiceProcess.Stall> stalls = server.stalls();
    List<Long> clientDelays = new ArrayList<>();
    List<Long> serviceDelays = new ArrayList<>();
    int closed = 0;
    int strictlyInside = 0;
    int inside = 0;
    int missingLines = 0;
    for (Peer peer : peers) {
      if (!peer.closedByServer()) {
        report.violation("%s %s was not closed by the service", role, peer);
        continue;
      }
      closed++;
      long silent = peer.silentForMs();
      long upper = window.upperMs(stalls, peer.lastFrameWallMs(), peer.closedWallMs());
      clientDelays.add(silent);
      boolean early = silent < window.lowerMs();
      boolean late = silent > upper;
      if (!early && silent <= window.upperMs()) {
        strictlyInside++;
      }
      if (!early && !late) {
        inside++;
      }
      report.check(!early, "%s %s closed %d ms after its last frame, before %d ms", role, peer,
          silent, window.lowerMs());
      report.check(!late, "%s %s closed %d ms after its last frame, after %d ms (stalls"
          + " reported meanwhile included)", role, peer, silent, upper);
      ServiceProcess.Close line = lines.get(peer.localHost + ":" + peer.localPort);
      if (line == null) {
        missingLines++;
        continue;
      }
      serviceDelays.add(line.sinceLastFrameMs());
      report.check(line.reason().equals("timeout"), "%s %s closed for %s", role, peer,
          line.reason());
      report.check(line.sinceLastFrameMs() >= window.lowerMs()
              && line.sinceLastFrameMs() <= upper,
          "%s %s: the service says %d ms since its last frame, outside [%d, %d]", role, peer,
          line.sinceLastFrameMs(), window.lowerMs(), upper);
    }
    report.figure("%s: %d of %d closed by the service; inside %s: %d (strict), %d (with the"
            + " service's reported stalls); delay seen by the peer %s; by the service %s%s",
        role, closed, peers.size(), window.describe(), strictlyInside, inside,
        VerdictWindow.percentiles(clientDelays), VerdictWindow.percentiles(serviceDelays),
        missingLines == 0 ? "" : "; close lines missing from the log: " + missingLines);
    return clientDelays;
  }

  /**
   * The service logs asynchronously, so a peer can see its close before the line is printed:
   * waits for the close lines of the peers the service closed, a few seconds at most (lines
   * still missing are then reported as such).
   */
  private static void awaitLines(List<Peer> peers, ServiceProcess server) {
    List<CompletableFuture<ServiceProcess.Close>> lines = new ArrayList<>();
    for (Peer peer : peers) {
      if (peer.closedByServer()) {
        lines.add(server.closeOf(c -> c.port() == peer.localPort
            && c.host().equals(peer.localHost)));
      }
    }
    try {
      CompletableFuture.allOf(lines.toArray(new CompletableFuture<?>[0]))
          .get(LOG_LAG_LIMIT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Reported per peer by the caller.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Peers that must not have been closed by the service: counts and names violations. */
  public static long healthy(String role, List<Peer> peers, ServiceProcess server, Report report) {
    Map<String, ServiceProcess.Close> lines = byPeer(server.closes());
    long closed = 0;
    for (Peer peer : peers) {
      if (peer.closedByServer()) {
        closed++;
        ServiceProcess.Close line = lines.get(peer.localHost + ":" + peer.localPort);
        report.violation("%s %s was closed by the service: %s", role, peer,
            line == null ? "no close line" : line.reason() + " after " + line.sinceLastFrameMs()
                + " ms silent");
      }
    }
    report.figure("%s: %d connections, closed by the service: %d", role, peers.size(), closed);
    return closed;
  }

  /** "stalls reported by the service: n (max m ms)". */
  public static String stalls(ServiceProcess server) {
    List<ServiceProcess.Stall> stalls = server.stalls();
    long max = stalls.stream().mapToLong(ServiceProcess.Stall::millis).max().orElse(0);
    return "stalls the service reported (\"could not run for N ms\"): " + stalls.size()
        + (stalls.isEmpty() ? "" : " (longest " + max + " ms)");
  }
}
