package io.heartbeat.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.config.ConfigException;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.session.TokenVerifier.Reason;
import io.heartbeat.session.TokenVerifier.Refusal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JWT check of a HELLO through the public API, with tokens signed in the test: what is
 * accepted, every refusal reason, the three algorithms, the start-up errors of a bad PEM file,
 * verification off the event loop, and a secret that never shows.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class TokenVerifierTest {

  private static final String SECRET = "test-secret-of-hs256-32-bytes-long!";
  private static final String DEVICE = "device-7";
  /** The verifier's clock: 2027-01-15T08:00:00Z. */
  private static final long NOW_MS = 1_800_000_000_000L;
  private static final long NOW_S = NOW_MS / 1000;

  private static KeyPair rsa;
  private static KeyPair otherRsa;
  private static KeyPair ec;
  private static KeyPair otherEc;

  @TempDir
  Path dir;

  @BeforeAll
  static void keys() throws Exception {
    rsa = Jwts.rsaKeys();
    otherRsa = Jwts.rsaKeys();
    ec = Jwts.ecKeys("secp256r1");
    otherEc = Jwts.ecKeys("secp256r1");
  }

  private static JsonObject claims() {
    return new JsonObject().put("sub", DEVICE).put("exp", NOW_S + 3600);
  }

  private static HeartbeatConfig config(String key, String value) throws ConfigException {
    return HeartbeatConfig.fromJson(new JsonObject().put("auth.mode", "jwt").put(key, value)
        .put("auth.maxTokenBytes", 1024));
  }

  private static TokenVerifier hs256(Vertx vertx) throws ConfigException {
    return TokenVerifier.create(vertx, config("auth.jwtSecret", SECRET), () -> NOW_MS);
  }

  private TokenVerifier fromPem(Vertx vertx, KeyPair keys) throws Exception {
    Path pem = Files.writeString(dir.resolve("jwt.pem"), Jwts.pem(keys.getPublic()));
    return TokenVerifier.create(vertx, config("auth.jwtPublicKeyPath", pem.toString()),
        () -> NOW_MS);
  }

  /** Verifies each token for DEVICE and completes with its outcome: "ok" or the reason. */
  private static Future<Map<String, String>> outcomes(TokenVerifier verifier,
      Map<String, String> tokens) {
    Map<String, String> seen = new LinkedHashMap<>();
    List<Future<Void>> all = new ArrayList<>();
    tokens.forEach((name, token) -> all.add(verifier.verify(DEVICE, token)
        .andThen(result -> {
          synchronized (seen) {
            seen.put(name, result.succeeded() ? "ok"
                : result.cause() instanceof Refusal refusal ? refusal.reason().label()
                : "unexpected " + result.cause());
          }
        })));
    return Future.join(all).transform(done -> Future.succeededFuture(seen));
  }

  @Test
  void acceptsHs256ByHandAndByTheLibraryAndRefusesEachFlaw(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    TokenVerifier verifier = hs256(vertx);
    JWTAuth library = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(
        new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    String good = Jwts.hs256(SECRET, claims());
    String[] parts = good.split("\\.");
    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put("valid", good);
    tokens.put("by the library, no exp", library.generateToken(new JsonObject()
        .put("sub", DEVICE), new JWTOptions().setNoTimestamp(true)));
    tokens.put("other secret", Jwts.hs256(SECRET + "x", claims()));
    tokens.put("claims changed after signing", parts[0] + "."
        + Jwts.b64(claims().put("sub", "device-8").encode()) + "." + parts[2]);
    tokens.put("wrong sub", Jwts.hs256(SECRET, claims().put("sub", "device-8")));
    tokens.put("no sub", Jwts.hs256(SECRET, new JsonObject().put("exp", NOW_S + 60)));
    tokens.put("numeric sub", Jwts.hs256(SECRET, claims().put("sub", 7)));
    tokens.put("exp one second ago", Jwts.hs256(SECRET, claims().put("exp", NOW_S - 1)));
    tokens.put("exp now", Jwts.hs256(SECRET, claims().put("exp", NOW_S)));
    tokens.put("exp in one second", Jwts.hs256(SECRET, claims().put("exp", NOW_S + 1)));
    tokens.put("nbf to come", Jwts.hs256(SECRET, claims().put("nbf", NOW_S + 60)));
    tokens.put("expired and forged", Jwts.hs256("forger", claims().put("exp", NOW_S - 1)));
    tokens.put("exp as text", Jwts.hs256(SECRET, claims().put("exp", "tomorrow")));
    tokens.put("alg none, empty signature", Jwts.unsigned(claims()));
    tokens.put("alg none, no signature", Jwts.unsigned(claims()).replaceAll("\\.$", ""));
    tokens.put("alg none, signature kept", Jwts.b64("{\"alg\":\"none\"}") + "." + parts[1]
        + "." + parts[2]);
    tokens.put("alg HS384", Jwts.b64("{\"alg\":\"HS384\"}") + "." + parts[1] + "." + parts[2]);
    tokens.put("garbage", "garbage");
    tokens.put("four dots", "....");
    tokens.put("not base64", "a$b.c.d");
    tokens.put("header not JSON", Jwts.b64("nope") + "." + parts[1] + "." + parts[2]);
    tokens.put("header an array", Jwts.b64("[1]") + "." + parts[1] + "." + parts[2]);
    tokens.put("empty", "");
    tokens.put("oversize", good + "A".repeat(1025 - good.length()));

    outcomes(verifier, tokens).onComplete(ctx.succeeding(seen -> ctx.verify(() -> {
      Map<String, String> expected = new LinkedHashMap<>();
      expected.put("valid", "ok");
      expected.put("by the library, no exp", "ok");
      expected.put("other secret", "bad-signature");
      expected.put("claims changed after signing", "bad-signature");
      expected.put("wrong sub", "wrong-subject");
      expected.put("no sub", "wrong-subject");
      expected.put("numeric sub", "wrong-subject");
      expected.put("exp one second ago", "expired");
      expected.put("exp now", "expired");
      expected.put("exp in one second", "ok");
      expected.put("nbf to come", "expired");
      expected.put("expired and forged", "bad-signature");
      expected.put("exp as text", "bad-token");
      expected.put("alg none, empty signature", "alg-none");
      expected.put("alg none, no signature", "alg-none");
      expected.put("alg none, signature kept", "alg-none");
      expected.put("alg HS384", "bad-signature");
      expected.put("garbage", "bad-token");
      expected.put("four dots", "bad-token");
      expected.put("not base64", "bad-token");
      expected.put("header not JSON", "bad-token");
      expected.put("header an array", "bad-token");
      expected.put("empty", "missing");
      expected.put("oversize", "oversize");
      for (String name : expected.keySet()) {
        assertEquals(expected.get(name), seen.get(name), name);
      }
      assertEquals("HS256", verifier.algorithm());
      ctx.completeNow();
    })));
  }

  @Test
  void aMissingTokenIsRefusedAsMissing(Vertx vertx, VertxTestContext ctx) throws Exception {
    hs256(vertx).verify(DEVICE, null).onComplete(ctx.failing(error -> ctx.verify(() -> {
      assertEquals(Reason.MISSING, assertInstanceOf(Refusal.class, error).reason());
      ctx.completeNow();
    })));
  }

  @Test
  void rs256AcceptsItsKeyAndRefusesAnotherKeyAndTheHs256Confusion(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    TokenVerifier verifier = fromPem(vertx, rsa);
    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put("valid", Jwts.rs256(rsa.getPrivate(), claims()));
    tokens.put("other key", Jwts.rs256(otherRsa.getPrivate(), claims()));
    // The classic attack: HS256 with the public key's PEM text as the shared secret.
    tokens.put("HS256 keyed with the PEM", Jwts.hs256(Jwts.pem(rsa.getPublic()), claims()));
    tokens.put("wrong sub", Jwts.rs256(rsa.getPrivate(), claims().put("sub", "x")));

    outcomes(verifier, tokens).onComplete(ctx.succeeding(seen -> ctx.verify(() -> {
      assertEquals(Map.of("valid", "ok", "other key", "bad-signature",
          "HS256 keyed with the PEM", "bad-signature", "wrong sub", "wrong-subject"), seen);
      assertEquals("RS256", verifier.algorithm());
      ctx.completeNow();
    })));
  }

  @Test
  void es256AcceptsItsKeyAndRefusesAnotherKey(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    TokenVerifier verifier = fromPem(vertx, ec);
    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put("valid", Jwts.es256(ec.getPrivate(), claims()));
    tokens.put("other key", Jwts.es256(otherEc.getPrivate(), claims()));
    tokens.put("expired", Jwts.es256(ec.getPrivate(), claims().put("exp", NOW_S - 10)));

    outcomes(verifier, tokens).onComplete(ctx.succeeding(seen -> ctx.verify(() -> {
      assertEquals(Map.of("valid", "ok", "other key", "bad-signature", "expired", "expired"),
          seen);
      assertEquals("ES256", verifier.algorithm());
      ctx.completeNow();
    })));
  }

  @Test
  void aBadPemFileFailsTheStartWithOneLineNamingIt(Vertx vertx) throws Exception {
    Path missing = dir.resolve("absent.pem");
    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello\n");
    Path badBase64 = Files.writeString(dir.resolve("bad.pem"),
        "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n");
    Path notAKey = Files.writeString(dir.resolve("junk.pem"),
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    Path p384 = Files.writeString(dir.resolve("p384.pem"),
        Jwts.pem(Jwts.ecKeys("secp384r1").getPublic()));
    Map<Path, String> why = Map.of(missing, "does not exist", notPem, "no -----BEGIN",
        badBase64, "not valid base64", notAKey, "neither an RSA nor an EC", p384, "P-256");

    why.forEach((path, expected) -> {
      ConfigException e = assertThrows(ConfigException.class,
          () -> TokenVerifier.create(vertx, config("auth.jwtPublicKeyPath", path.toString())));
      String message = e.getMessage();
      assertTrue(message.startsWith("Invalid setting auth.jwtPublicKeyPath = \"" + path + "\""),
          message);
      assertTrue(message.contains(expected), message);
      assertFalse(message.contains("\n"), message);
    });
  }

  @Test
  void verifiesOnTheAuthWorkersAndAnswersOnTheCallersEventLoop(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    TokenVerifier verifier = hs256(vertx);
    List<String> verifiedOn = new ArrayList<>();
    verifier.onVerifyThread = () -> {
      synchronized (verifiedOn) {
        verifiedOn.add(Thread.currentThread().getName() + " eventLoop="
            + Context.isOnEventLoopThread() + " worker=" + Context.isOnWorkerThread());
      }
    };
    String token = Jwts.hs256(SECRET, claims());
    Context eventLoop = vertx.getOrCreateContext();

    eventLoop.runOnContext(v -> verifier.verify(DEVICE, token)
        .onComplete(ctx.succeeding(ok -> ctx.verify(() -> {
          assertTrue(Context.isOnEventLoopThread(), "the answer comes back on the event loop");
          assertEquals(eventLoop, vertx.getOrCreateContext());
          assertEquals(1, verifiedOn.size());
          String thread = verifiedOn.get(0);
          assertTrue(thread.startsWith(TokenVerifier.WORKER_POOL)
              && thread.endsWith("eventLoop=false worker=true"), thread);
          ctx.completeNow();
        }))));
  }

  @Test
  void theSecretAndTheTokenAppearInNoRefusal(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    TokenVerifier verifier = hs256(vertx);
    String[] tokens = {Jwts.hs256(SECRET + "x", claims()), Jwts.unsigned(claims()), "garbage",
        Jwts.hs256(SECRET, claims().put("sub", SECRET)), Jwts.hs256(SECRET, claims()
        .put("exp", 1))};
    List<Future<Void>> all = new ArrayList<>();
    for (String token : tokens) {
      all.add(verifier.verify(DEVICE, token).transform(result -> {
        ctx.verify(() -> {
          assertTrue(result.failed(), "refused: " + token);
          Refusal refusal = assertInstanceOf(Refusal.class, result.cause());
          assertEquals(refusal.reason().label(), refusal.getMessage());
          assertFalse(String.valueOf(refusal).contains(SECRET), refusal.toString());
          assertFalse(String.valueOf(refusal).contains(token), refusal.toString());
          assertEquals(0, refusal.getStackTrace().length, "no stack to print");
        });
        return Future.succeededFuture();
      }));
    }
    Future.all(all).onComplete(ctx.succeeding(done -> ctx.verify(() -> {
      assertNotNull(done);
      ctx.completeNow();
    })));
  }

  @Test
  void refusesToBuildWithoutJwtMode(Vertx vertx) {
    assertThrows(IllegalArgumentException.class,
        () -> TokenVerifier.create(vertx, HeartbeatConfig.defaults()));
  }
}
