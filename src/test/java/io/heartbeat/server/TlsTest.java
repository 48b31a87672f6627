package io.heartbeat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.HeartbeatService;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.testing.FrameClient;
import io.heartbeat.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client port over TLS, with and without client certificates. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class TlsTest {

  private static final SelfSignedCertificate SERVER = SelfSignedCertificate.create("localhost");
  private static final SelfSignedCertificate CLIENT = SelfSignedCertificate.create("client");
  private static final SelfSignedCertificate STRANGER = SelfSignedCertificate.create("stranger");

  private static Future<HeartbeatService> start(Vertx vertx, boolean mutual) throws Exception {
    JsonObject settings = new JsonObject().put("port", 0).put("ioInstances", 1)
        .put("tickMs", 100).put("maxMissed", 50)
        .put("tls.enabled", true).put("tls.certPath", SERVER.certificatePath())
        .put("tls.keyPath", SERVER.privateKeyPath()).put("tls.handshakeTimeoutMs", 2000);
    if (mutual) {
      settings.put("tls.clientCaPath", CLIENT.certificatePath());
    }
    return HeartbeatService.start(vertx, HeartbeatConfig.fromJson(
        settings.put("ioEdge", TestServices.ioEdge())), null, 0);
  }

  private static NetClientOptions tls(SelfSignedCertificate own) {
    NetClientOptions options = new NetClientOptions().setSsl(true).setTrustAll(true)
        .setHostnameVerificationAlgorithm("");
    if (own != null) {
      options.setKeyCertOptions(own.keyCertOptions());
    }
    return options;
  }

  /** Connects, sends one heartbeat and completes with whether an ack came back. */
  private static Future<Boolean> heartbeatAcked(Vertx vertx, int port, NetClientOptions options) {
    return attempt(vertx, port, options).map(outcome -> outcome.acked);
  }

  /** What became of one TLS client: acked, or the error its connection ended with. */
  private record Outcome(boolean acked, Throwable error) {
    /** Whether the server refused it in the TLS handshake (an alert, not a reset or timeout). */
    boolean refusedByTls() {
      for (Throwable t = error; t != null; t = t.getCause()) {
        if (t instanceof javax.net.ssl.SSLException) {
          return true;
        }
      }
      return false;
    }
  }

  private static Future<Outcome> attempt(Vertx vertx, int port, NetClientOptions options) {
    return FrameClient.connect(vertx, port, options).compose(client -> {
      Promise<Outcome> outcome = Promise.promise();
      client.onFrame(f -> outcome.tryComplete(
          new Outcome(f.type() == FrameType.HEARTBEAT_ACK, null)));
      client.closed().onComplete(v -> outcome.tryComplete(new Outcome(false,
          client.error())));
      client.send(FrameType.HEARTBEAT, null);
      return outcome.future();
    }, failed -> Future.succeededFuture(new Outcome(false, failed)));
  }

  @Test
  void tlsClientIsAckedAndPlaintextClientIsClosedWithoutAReply(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    start(vertx, false).compose(service -> heartbeatAcked(vertx, service.port(), tls(null))
        .compose(acked -> {
          ctx.verify(() -> assertTrue(acked, "TLS client not acked"));
          return FrameClient.connect(vertx, service.port());
        })
        .compose(plain -> {
          plain.send(FrameType.HEARTBEAT, null);
          return plain.closed().map(v -> plain);
        }))
        .onComplete(ctx.succeeding(plain -> ctx.verify(() -> {
          assertEquals(0, plain.frames().size(), "the plaintext client got a frame");
          ctx.completeNow();
        })));
  }

  @Test
  void mutualTlsAcceptsTheTrustedClientAndRefusesOthers(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    start(vertx, true).compose(service -> heartbeatAcked(vertx, service.port(), tls(CLIENT))
        .compose(trusted -> {
          ctx.verify(() -> assertTrue(trusted, "client with the trusted certificate not acked"));
          return attempt(vertx, service.port(), tls(STRANGER));
        })
        .compose(stranger -> {
          ctx.verify(() -> {
            assertFalse(stranger.acked, "client with a wrong certificate acked");
            assertTrue(stranger.refusedByTls(), "not a TLS refusal: " + stranger.error);
          });
          return attempt(vertx, service.port(), tls(null));
        }))
        .onComplete(ctx.succeeding(anonymous -> ctx.verify(() -> {
          assertFalse(anonymous.acked, "client without a certificate acked");
          assertTrue(anonymous.refusedByTls(), "not a TLS refusal: " + anonymous.error);
          ctx.completeNow();
        })));
  }
}
