package io.heartbeat.session;

import static io.heartbeat.testing.FrameClient.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.testing.FrameClient;
import io.heartbeat.testing.FrameClient.Frame;
import io.heartbeat.testing.ServiceSettings;
import io.heartbeat.testing.ServiceTest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * JWT credentials through real sockets (auth.mode jwt, HS256): a token that verifies opens the
 * session; every refused one gets GOODBYE unauthorized and the close, and so does a client that
 * does not open with a HELLO.
 */
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
@ServiceSettings({"auth.mode=jwt", "auth.jwtSecret=" + JwtSessionTest.SECRET})
class JwtSessionTest extends ServiceTest {

  static final String SECRET = "test-secret-of-thirty-two-bytes-at-least";

  private static String sign(Vertx vertx, String secret, JsonObject claims) {
    JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(
        new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    return auth.generateToken(claims, new JWTOptions().setAlgorithm("HS256"));
  }

  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  private static String base64Url(String json) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static Stream<Arguments> refusedTokens() {
    return Stream.of(
        Arguments.of("bad signature"),
        Arguments.of("wrong sub"),
        Arguments.of("expired"),
        Arguments.of("alg none"),
        Arguments.of("garbage"),
        Arguments.of("no token"));
  }

  private static String token(Vertx vertx, String kind) {
    JsonObject claims = new JsonObject().put("sub", "door-1").put("exp", nowSeconds() + 60);
    return switch (kind) {
      case "bad signature" -> sign(vertx, "another-secret-of-thirty-two-bytes!!", claims);
      case "wrong sub" -> sign(vertx, SECRET, claims.copy().put("sub", "door-2"));
      case "expired" -> sign(vertx, SECRET, claims.copy().put("exp", nowSeconds() - 120));
      case "alg none" -> base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
          + base64Url(claims.encode()) + ".";
      case "garbage" -> "this.is-not.a-jwt";
      default -> "";
    };
  }

  @Test
  void aTokenThatVerifiesOpensTheSession(Vertx vertx, VertxTestContext ctx) {
    String token = sign(vertx, SECRET, new JsonObject().put("sub", "door-1")
        .put("exp", nowSeconds() + 60));
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client ->
        SessionClients.open(client, "door-1", 0, token).onComplete(ctx.succeeding(welcome ->
            ctx.verify(() -> {
              assertEquals(50, welcome.intervalMs());
              assertFalse(client.isClosed());
              ctx.completeNow();
            })))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedTokens")
  void aRefusedTokenGetsGoodbyeUnauthorized(String kind, Vertx vertx, VertxTestContext ctx) {
    String token = token(vertx, kind);
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client -> {
      SessionClients.open(client, "door-1", 0, token);
      client.closed().compose(t -> events.idOf(client).compose(events::closed))
          .onComplete(ctx.succeeding(closed -> ctx.verify(() -> {
            assertEquals(List.of(new Frame(FrameType.GOODBYE, utf8("unauthorized"))),
                client.frames().snapshot(), kind);
            assertEquals(LifecycleEvents.UNAUTHORIZED, closed.getString("reason"), kind);
            ctx.completeNow();
          })));
    }));
  }

  @Test
  void aFirstFrameThatIsNotHelloGetsGoodbyeUnauthorized(Vertx vertx, VertxTestContext ctx) {
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client -> {
      client.heartbeat();
      client.closed().onComplete(ctx.succeeding(t -> ctx.verify(() -> {
        assertEquals(List.of(new Frame(FrameType.GOODBYE, utf8("unauthorized"))),
            client.frames().snapshot());
        ctx.completeNow();
      })));
    }));
  }

  @Test
  void anOversizeTokenIsMalformedInputClosedWithNothingSentBack(Vertx vertx,
      VertxTestContext ctx) {
    String huge = "a".repeat(config.authMaxTokenBytes() + 1);
    FrameClient.connect(vertx, service.port()).onComplete(ctx.succeeding(client -> {
      client.send(FrameType.HELLO, SessionClients.hello("door-1", 0, huge));
      client.closed().onComplete(ctx.succeeding(t -> ctx.verify(() -> {
        assertEquals(0, client.bytesReceived());
        assertTrue(client.isClosed());
        ctx.completeNow();
      })));
    }));
  }
}
