package io.heartbeat.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy for tests that puts faults between a client and the server: latency, a
 * blackhole (sockets stay open, nothing passes, not even one side's close), byte slicing (one
 * byte per write) and reset (both sides closed at once). The mode can change while links are
 * open.
 */
final class FaultProxy {

  /** What the proxy does to the bytes passing through it. */
  enum Mode { PASS, LATENCY, BLACKHOLE, SLICE }

  private final Vertx vertx;
  private final NetServer server;
  /** Kept reachable: Vert.x closes a garbage-collected client's sockets. */
  private final NetClient upstream;
  private final List<NetSocket[]> links = new CopyOnWriteArrayList<>();
  private volatile Mode mode = Mode.PASS;
  private volatile long latencyMs;

  private FaultProxy(Vertx vertx, int targetPort) {
    this.vertx = vertx;
    this.upstream = vertx.createNetClient();
    this.server = vertx.createNetServer();
    server.connectHandler(downstream -> {
      downstream.pause();
      upstream.connect(targetPort, "127.0.0.1").onComplete(ar -> {
        if (ar.failed()) {
          downstream.close();
          return;
        }
        NetSocket up = ar.result();
        NetSocket[] link = {downstream, up};
        links.add(link);
        pipe(downstream, up);
        pipe(up, downstream);
        downstream.closeHandler(v -> {
          links.remove(link);
          if (mode != Mode.BLACKHOLE) {
            up.close();
          }
        });
        up.closeHandler(v -> {
          links.remove(link);
          if (mode != Mode.BLACKHOLE) {
            downstream.close();
          }
        });
        downstream.resume();
      });
    });
  }

  static Future<FaultProxy> start(Vertx vertx, int targetPort) {
    FaultProxy proxy = new FaultProxy(vertx, targetPort);
    return proxy.server.listen(0, "127.0.0.1").map(s -> proxy);
  }

  int port() {
    return server.actualPort();
  }

  FaultProxy mode(Mode next, long latency) {
    this.latencyMs = latency;
    this.mode = next;
    return this;
  }

  /** Closes every open link at both ends, as a reset peer or a dropped NAT entry would. */
  void resetAll() {
    for (NetSocket[] link : links) {
      link[0].close();
      link[1].close();
    }
  }

  private void pipe(NetSocket from, NetSocket to) {
    from.handler(bytes -> {
      switch (mode) {
        case BLACKHOLE:
          break;
        case LATENCY:
          vertx.setTimer(Math.max(1, latencyMs), t -> to.write(bytes));
          break;
        case SLICE:
          for (int i = 0; i < bytes.length(); i++) {
            to.write(Buffer.buffer(new byte[] {bytes.getByte(i)}));
          }
          break;
        default:
          to.write(bytes);
      }
    });
  }
}
