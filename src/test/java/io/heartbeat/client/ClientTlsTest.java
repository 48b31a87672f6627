package io.heartbeat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.HeartbeatService;
import io.heartbeat.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client over TLS against the service's own TLS port (certificates made as the service's TLS
 * test makes them): trust from PEM, hostname verification, mutual TLS; and the SNI name, read by
 * a hand-made TLS server (the service does not look at it).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ClientTlsTest {

  private static final SelfSignedCertificate SERVER = SelfSignedCertificate.create("localhost");
  private static final SelfSignedCertificate CLIENT = SelfSignedCertificate.create("client");
  private static final SelfSignedCertificate STRANGER = SelfSignedCertificate.create("stranger");

  private final List<HeartbeatClient> clients = new ArrayList<>();

  @AfterEach
  void closeClients(VertxTestContext ctx) {
    List<Future<Void>> closing = new ArrayList<>();
    clients.forEach(c -> closing.add(c.close()));
    Future.all(closing).onComplete(ctx.succeedingThenComplete());
  }

  private static Future<HeartbeatService> tlsService(Vertx vertx, boolean mutual) {
    // A window of 5 s: these tests are about certificates, not timing, and must not fail
    // because a busy machine stalled the client for a few hundred ms.
    JsonObject settings = TestServices.defaults().put("ioInstances", 1).put("tickMs", 100)
        .put("maxMissed", 50)
        .put("tls.enabled", true).put("tls.certPath", SERVER.certificatePath())
        .put("tls.keyPath", SERVER.privateKeyPath()).put("tls.handshakeTimeoutMs", 10_000);
    if (mutual) {
      settings.put("tls.clientCaPath", CLIENT.certificatePath());
    }
    return TestServices.start(vertx, settings);
  }

  private HeartbeatClient client(Vertx vertx, String host, int port, ClientTlsOptions tls) {
    HeartbeatClient client = HeartbeatClient.create(vertx, new HeartbeatClientOptions()
        .setHost(host).setPort(port).setTls(tls).setHeartbeatIntervalMs(50)
        .setServerTimeoutMs(5000).setConnectTimeoutMs(10_000).setMaxReconnectAttempts(1)
        .setReconnectInitialDelayMs(10)
        .setReconnectMaxDelayMs(10));
    clients.add(client);
    return client;
  }

  private static ClientTlsOptions trustingServer() {
    return new ClientTlsOptions().setTrustPemPath(SERVER.certificatePath());
  }

  /**
   * Completes with "acks: 3" once three acks came, or with the number seen and why the link
   * ended or never opened.
   */
  private static Future<String> acksOrFailure(HeartbeatClient client) {
    Promise<String> outcome = Promise.promise();
    int[] acks = {0};
    client.ackHandler(b -> {
      if (++acks[0] == 3) {
        outcome.tryComplete("acks: 3");
      }
    });
    client.disconnectedHandler(reason -> outcome.tryComplete("acks: " + acks[0]
        + ", disconnected: " + reason));
    client.connect().onFailure(e -> outcome.tryComplete("acks: " + acks[0] + ", connect failed: "
        + e.getMessage()));
    return outcome.future();
  }

  @Test
  void connectsTrustingTheServerCaFromPemWithTheHostNameVerified(Vertx vertx,
      VertxTestContext ctx) {
    tlsService(vertx, false).compose(s -> acksOrFailure(client(vertx, "localhost", s.port(),
        trustingServer()))).onComplete(ctx.succeeding(acks -> ctx.verify(() -> {
          assertEquals("acks: 3", acks, "over TLS");
          ctx.completeNow();
        })));
  }

  @Test
  void refusesACertificateThatDoesNotNameTheHostUnlessVerificationIsOff(Vertx vertx,
      VertxTestContext ctx) {
    // The certificate names "localhost"; connecting to 127.0.0.1 must fail its check.
    tlsService(vertx, false).compose(s -> {
      HeartbeatClient verifying = client(vertx, "127.0.0.1", s.port(), trustingServer());
      return verifying.connect().transform(ar -> {
        ctx.verify(() -> assertTrue(ar.failed(), "connected to a host its certificate misnames"));
        return acksOrFailure(client(vertx, "127.0.0.1", s.port(),
            trustingServer().setHostnameVerification(false)));
      });
    }).onComplete(ctx.succeeding(acks -> ctx.verify(() -> {
      assertEquals("acks: 3", acks, "with hostname verification off");
      ctx.completeNow();
    })));
  }

  @Test
  void refusesAServerSignedByAnUntrustedAuthority(Vertx vertx, VertxTestContext ctx) {
    tlsService(vertx, false).compose(s -> client(vertx, "localhost", s.port(),
        new ClientTlsOptions().setTrustPemPath(STRANGER.certificatePath())).connect())
        .onComplete(ctx.failing(e -> ctx.completeNow()));
  }

  @Test
  void mutualTlsIsAckedWithTheClientCertificateAndNeverWithout(Vertx vertx,
      VertxTestContext ctx) {
    tlsService(vertx, true).compose(s -> acksOrFailure(client(vertx, "localhost", s.port(),
        trustingServer().setCertPemPath(CLIENT.certificatePath())
            .setKeyPemPath(CLIENT.privateKeyPath())))
        .compose(withCertificate -> {
          ctx.verify(() -> assertEquals("acks: 3", withCertificate, "with the client certificate"));
          return acksOrFailure(client(vertx, "localhost", s.port(), trustingServer()));
        }))
        .onComplete(ctx.succeeding(without -> ctx.verify(() -> {
          assertTrue(without.startsWith("acks: 0,"), "without a client certificate: " + without);
          ctx.completeNow();
        })));
  }

  @Test
  void sendsTheConfiguredSniNameOrElseTheHostName(Vertx vertx, VertxTestContext ctx) {
    Checkpoint seen = ctx.checkpoint(2);
    List<String> names = new ArrayList<>();
    NetServer sniServer = vertx.createNetServer(new NetServerOptions().setSsl(true).setSni(true)
        .setKeyCertOptions(SERVER.keyCertOptions()));
    sniServer.connectHandler(socket -> {
      names.add(socket.indicatedServerName());
      ctx.verify(() -> {
        if (names.size() == 1) {
          assertEquals("heartbeat.example", names.get(0), "configured SNI name");
        } else {
          assertEquals("localhost", names.get(1), "SNI name from the host");
        }
      });
      seen.flag();
    });
    sniServer.listen(0, "127.0.0.1").onComplete(ctx.succeeding(server -> {
      client(vertx, "localhost", server.actualPort(), trustingServer()
          .setSniServerName("heartbeat.example")).connect()
          .compose(v -> client(vertx, "localhost", server.actualPort(), trustingServer())
              .connect())
          .onComplete(ctx.succeeding(v -> { }));
    }));
  }
}
