package io.heartbeat.testing.scenario;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients that connect from a range of loopback source addresses ({@code 127.x.y.first} to
 * {@code 127.x.y.(first+count-1)}), round robin: all of 127/8 is local, and each source address
 * has its own 28,000 ephemeral ports, so many thousands of connections and TIME_WAITs fit. The
 * source address also tells a connection's role in the server's log.
 *
 * <p>The NetClients are held here on purpose: Vert.x closes the sockets of a NetClient that is
 * garbage-collected.
 */
public final class LoopbackSources {

  private final String prefix;
  private final int first;
  private final List<NetClient> clients = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();

  /**
   * @param prefix the first three octets with the dot, such as {@code "127.0.1."}
   * @param options options for every client (the local address is set here)
   */
  public LoopbackSources(Vertx vertx, String prefix, int first, int count,
      NetClientOptions options) {
    this.prefix = prefix;
    this.first = first;
    for (int i = 0; i < count; i++) {
      clients.add(vertx.createNetClient(new NetClientOptions(options)
          .setLocalAddress(prefix + (first + i))));
    }
  }

  public LoopbackSources(Vertx vertx, String prefix, int first, int count) {
    this(vertx, prefix, first, count, new NetClientOptions().setConnectTimeout(30_000));
  }

  /** Connects the next source address to {@code 127.0.0.1:port}. */
  public Future<Peer> connect(int port) {
    NetClient client = clients.get(Math.floorMod(next.getAndIncrement(), clients.size()));
    return Peer.connect(client, port, "127.0.0.1");
  }

  /** Whether {@code host} is one of these source addresses. */
  public boolean owns(String host) {
    if (!host.startsWith(prefix)) {
      return false;
    }
    int last = Integer.parseInt(host.substring(prefix.length()));
    return last >= first && last < first + clients.size();
  }

  public Future<Void> close() {
    List<Future<Void>> all = new ArrayList<>();
    for (NetClient c : clients) {
      all.add(c.close());
    }
    return Future.join(all).mapEmpty();
  }
}
