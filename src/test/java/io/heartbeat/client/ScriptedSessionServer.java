package io.heartbeat.client;

import io.heartbeat.protocol.FrameEncoder;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.Welcome;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: a hand-made protocol 1.1 server on port 0 that hands every frame it receives (any
 * type, HELLO included) to a script, which answers with WELCOME, GOODBYE, acks or raw bytes. It
 * frames with a Vert.x RecordParser rather than the production decoder, so it sees exactly the
 * bytes the client wrote, in the configured byte order.
 */
final class ScriptedSessionServer {

  /** A frame as received, with its arrival time. */
  record Frame(int type, Buffer payload, long atNanos) {
  }

  /** Decides what the server does with each frame of a connection. */
  interface Script {
    void onFrame(Peer peer, Frame frame);
  }

  /** One accepted connection. */
  final class Peer {
    final int number;
    final NetSocket socket;
    final List<Frame> frames = new ArrayList<>();
    /** The first 8 bytes the client wrote, as they were on the wire. */
    final Buffer firstHeader = Buffer.buffer();
    final Promise<Void> closed = Promise.promise();

    Peer(int number, NetSocket socket) {
      this.number = number;
      this.socket = socket;
    }

    void send(int type, byte[] payload) {
      socket.write(Buffer.buffer(ByteBufUtil.getBytes(encoder.encode(type, payload))));
    }

    void welcome(Welcome welcome) {
      send(FrameType.WELCOME, welcome.payload(order));
    }

    void goodbyeAndClose(String reason) {
      send(FrameType.GOODBYE, reason.getBytes(StandardCharsets.UTF_8));
      socket.close();
    }

    /** The frames of one type received so far. */
    List<Frame> frames(int type) {
      return frames.stream().filter(f -> f.type() == type).toList();
    }
  }

  private final ByteOrder order;
  private final FrameEncoder encoder;
  private final Script script;
  private final List<Peer> peers = new ArrayList<>();
  private NetServer server;

  private ScriptedSessionServer(ByteOrder order, Script script) {
    this.order = order;
    this.encoder = new FrameEncoder(order);
    this.script = script;
  }

  static Future<ScriptedSessionServer> start(Vertx vertx, ByteOrder order, Script script) {
    ScriptedSessionServer s = new ScriptedSessionServer(order, script);
    s.server = vertx.createNetServer().connectHandler(s::accept);
    return s.server.listen(0, "127.0.0.1").map(bound -> s);
  }

  int port() {
    return server.actualPort();
  }

  /** Connections accepted so far, in order. */
  List<Peer> peers() {
    return peers;
  }

  private void accept(NetSocket socket) {
    Peer peer = new Peer(peers.size() + 1, socket);
    peers.add(peer);
    RecordParser parser = RecordParser.newFixed(8);
    int[] header = {-1, 0};  // type, length of the frame whose payload is awaited
    parser.handler(bytes -> {
      if (header[0] < 0) {
        if (peer.firstHeader.length() == 0) {
          peer.firstHeader.appendBuffer(bytes);
        }
        boolean le = order == ByteOrder.LITTLE_ENDIAN;
        int type = le ? bytes.getIntLE(0) : bytes.getInt(0);
        int length = le ? bytes.getIntLE(4) : bytes.getInt(4);
        if (length > 0) {
          header[0] = type;
          header[1] = length;
          parser.fixedSizeMode(length);
          return;
        }
        deliver(peer, type, Buffer.buffer());
      } else {
        int type = header[0];
        header[0] = -1;
        parser.fixedSizeMode(8);
        deliver(peer, type, bytes);
      }
    });
    socket.handler(parser);
    socket.closeHandler(v -> peer.closed.tryComplete());
  }

  private void deliver(Peer peer, int type, Buffer payload) {
    Frame frame = new Frame(type, payload, System.nanoTime());
    peer.frames.add(frame);
    script.onFrame(peer, frame);
  }
}
