package io.heartbeat.session;

import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.Hello;
import io.heartbeat.protocol.IllegalFrameException;
import io.heartbeat.protocol.Welcome;
import io.heartbeat.testing.FrameClient;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import java.nio.ByteOrder;

/** Opening sessions with the protocol test client. */
final class SessionClients {

  private SessionClients() {
  }

  /** The whole HELLO payload of these fields, little-endian. */
  static byte[] hello(String clientId, int intervalMs, String token) {
    return new Hello(intervalMs, clientId, token == null ? "" : token)
        .payload(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Sends a HELLO and completes with the WELCOME that answers it; fails with the frame received
   * instead (a GOODBYE's reason) or when the connection closes first.
   */
  static Future<Welcome> open(FrameClient client, String clientId, int intervalMs,
      String token) {
    int before = client.frames().size();
    client.send(FrameType.HELLO, hello(clientId, intervalMs, token));
    return Future.any(client.frames().at(before), client.closed()).compose(first -> {
      if (client.frames().size() <= before) {
        return Future.failedFuture("closed before any answer to the HELLO");
      }
      FrameClient.Frame frame = client.frames().snapshot().get(before);
      if (frame.type() != FrameType.WELCOME) {
        return Future.failedFuture("answered " + frame);
      }
      try {
        return Future.succeededFuture(Welcome.decode(Unpooled.wrappedBuffer(frame.payload()),
            ByteOrder.LITTLE_ENDIAN));
      } catch (IllegalFrameException e) {
        return Future.failedFuture(e.getMessage());
      }
    });
  }
}
