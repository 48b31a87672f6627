package io.heartbeat.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.HeartbeatService;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.metrics.HeartbeatMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drives the admin API with malformed requests over raw sockets and proves each one gets a JSON
 * answer with the right status within a second. Prints the table (request, status, ms).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class AdminMalformedRequestTest {

  private static final String TOKEN = "s3cret-token";
  private static final long ANSWER_WITHIN_MS = 1000;

  private Vertx vertx;
  private HeartbeatService service;
  private NetClient tcp;

  /** One request as written on the wire, and the status it must get. */
  private record Case(String label, String wire, int expected) {
  }

  private record Answer(int status, String contentType, String body, long ms) {
  }

  @BeforeEach
  void start(VertxTestContext ctx) throws Exception {
    vertx = Vertx.vertx();
    tcp = vertx.createNetClient();
    HeartbeatConfig config = HeartbeatConfig.fromJson(new JsonObject().put("port", 0)
        .put("tickMs", 50).put("maxMissed", 100).put("ioInstances", 2)
        .put("admin.port", 0).put("admin.token", TOKEN));
    HeartbeatService.start(vertx, config, new HeartbeatService.Options().admin(true)
            .metrics(new HeartbeatMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))))
        .onComplete(ctx.succeeding(s -> {
          service = s;
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  private static String get(String target, String auth) {
    return request("GET", target, auth, "");
  }

  private static String request(String method, String target, String auth, String body) {
    StringBuilder wire = new StringBuilder(method).append(' ').append(target)
        .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    if (auth != null) {
      wire.append("Authorization: ").append(auth).append("\r\n");
    }
    if (!body.isEmpty()) {
      wire.append("Content-Length: ").append(body.getBytes(StandardCharsets.ISO_8859_1).length)
          .append("\r\n");
    }
    return wire.append("\r\n").append(body).toString();
  }

  private static List<Case> cases() {
    String ok = "Bearer " + TOKEN;
    List<Case> c = new ArrayList<>();
    c.add(new Case("GET /health", get("/health", null), 200));
    c.add(new Case("GET /ready", get("/ready", null), 200));
    c.add(new Case("GET /connections", get("/connections", ok), 200));
    c.add(new Case("GET /connections/abc", get("/connections/abc", ok), 400));
    c.add(new Case("GET /connections/-1", get("/connections/-1", ok), 400));
    c.add(new Case("GET /connections/<25 digits>", get("/connections/" + "9".repeat(25), ok),
        400));
    c.add(new Case("GET /connections/2^53", get("/connections/9007199254740992", ok), 400));
    c.add(new Case("GET /connections/0x1F", get("/connections/0x1F", ok), 400));
    c.add(new Case("GET /connections/12345 (no such)", get("/connections/12345", ok), 404));
    c.add(new Case("POST /connections/abc/kick", request("POST", "/connections/abc/kick", ok,
        ""), 400));
    c.add(new Case("POST /connections/12345/kick (no such)",
        request("POST", "/connections/12345/kick", ok, ""), 404));
    c.add(new Case("GET /connections?limit=-5", get("/connections?limit=-5", ok), 400));
    c.add(new Case("GET /connections?limit=0", get("/connections?limit=0", ok), 400));
    c.add(new Case("GET /connections?limit=100000", get("/connections?limit=100000", ok), 400));
    c.add(new Case("GET /connections?limit=<30 digits>",
        get("/connections?limit=" + "9".repeat(30), ok), 400));
    c.add(new Case("GET /connections?after=abc", get("/connections?after=abc", ok), 400));
    c.add(new Case("GET /connections?after=-1", get("/connections?after=-1", ok), 400));
    c.add(new Case("GET /connections?after=1.5", get("/connections?after=1.5", ok), 400));
    c.add(new Case("GET /connections?minSilentMs=-1", get("/connections?minSilentMs=-1", ok),
        400));
    c.add(new Case("GET /connections?minAgeMs=1e9", get("/connections?minAgeMs=1e9", ok), 400));
    c.add(new Case("GET /connections?peer=", get("/connections?peer=", ok), 400));
    c.add(new Case("GET /connections?peer=<300 chars>",
        get("/connections?peer=" + "a".repeat(300), ok), 400));
    c.add(new Case("GET /connections?page=2", get("/connections?page=2", ok), 400));
    c.add(new Case("GET /connections?limit=1&limit=2", get("/connections?limit=1&limit=2", ok),
        400));
    c.add(new Case("GET /connections?limit=%zz", get("/connections?limit=%zz", ok), 400));
    c.add(new Case("GET /connections/1?x=1", get("/connections/1?x=1", ok), 400));
    c.add(new Case("GET /nope", get("/nope", ok), 404));
    c.add(new Case("GET /connections/1/2/3", get("/connections/1/2/3", ok), 404));
    c.add(new Case("PUT /drain", request("PUT", "/drain", ok, ""), 405));
    c.add(new Case("PATCH /connections", request("PATCH", "/connections", ok, ""), 405));
    c.add(new Case("DELETE /metrics", request("DELETE", "/metrics", ok, ""), 405));
    c.add(new Case("POST /health", request("POST", "/health", ok, ""), 405));
    c.add(new Case("GET /metrics (no token)", get("/metrics", null), 401));
    c.add(new Case("GET /metrics (wrong token)", get("/metrics", "Bearer nope"), 401));
    c.add(new Case("GET /metrics (Basic auth)", get("/metrics", "Basic dXNlcjpwYXNz"), 401));
    c.add(new Case("GET /connections (token, no Bearer)", get("/connections", TOKEN), 401));
    c.add(new Case("GET /nope (no token)", get("/nope", null), 401));
    c.add(new Case("POST /drain (4 KiB body)", request("POST", "/drain", ok, "x".repeat(4096)),
        413));
    c.add(new Case("POST /connections/12345/kick (garbage body)",
        request("POST", "/connections/12345/kick", ok, "\u0001\u00ff{{{not json"), 404));
    c.add(new Case("GET /<10 KiB path>", get("/" + "a".repeat(10_000), ok), 414));
    c.add(new Case("GET /connections (20 KiB header)", "GET /connections HTTP/1.1\r\nHost: x\r\n"
        + "X-Big: " + "b".repeat(20_000) + "\r\nConnection: close\r\n\r\n", 431));
    c.add(new Case("garbage bytes", "\u0000\u0001\u0002 garbage \u00ff\r\n\r\n", 400));
    c.add(new Case("GET without HTTP version", "GET /health\r\n\r\n", 400));
    return c;
  }

  @Test
  void everyMalformedRequestGetsAJsonAnswerWithinASecond(VertxTestContext ctx) {
    List<Case> cases = cases();
    List<String> rows = new ArrayList<>();
    // Warm-up outside the table: the first request of a JVM loads vertx-web's classes, which on
    // a busy machine can take longer than the second the table allows each request.
    Future<Void> chain = send(get("/health", null), 30_000)
        .compose(a -> send(get("/connections/abc", "Bearer " + TOKEN), 30_000)).mapEmpty();
    for (Case c : cases) {
      chain = chain.compose(v -> send(c.wire(), ANSWER_WITHIN_MS).map(answer -> {
        rows.add(String.format(Locale.ROOT, "| %-45s | %3d | %4d |", c.label(), answer.status(),
            answer.ms()));
        ctx.verify(() -> {
          assertEquals(c.expected(), answer.status(), c.label() + " answered " + answer.body());
          assertTrue(answer.contentType().startsWith("application/json"),
              c.label() + " answered " + answer.contentType());
          JsonObject json = new JsonObject(answer.body());
          if (c.expected() >= 400) {
            assertTrue(!json.getString("error", "").isBlank(), c.label() + ": " + json);
          }
        });
        return null;
      }));
    }
    chain.onComplete(ctx.succeeding(v -> {
      StringBuilder table = new StringBuilder("\nAdmin API malformed requests (")
          .append(cases.size()).append(")\n| request | status | ms |\n|---|---|---|\n");
      rows.forEach(r -> table.append(r).append('\n'));
      System.out.println(table);
      ctx.completeNow();
    }));
  }

  /** Writes the raw request and reads until the server closes; fails after a second. */
  private Future<Answer> send(String wire, long withinMs) {
    long started = System.nanoTime();
    Promise<Answer> answer = Promise.promise();
    long timer = vertx.setTimer(withinMs, t -> answer.tryFail("no answer within "
        + withinMs + " ms to " + wire.substring(0, Math.min(60, wire.length()))));
    tcp.connect(service.adminPort(), "127.0.0.1").onFailure(answer::tryFail).onSuccess(s -> {
      Buffer received = Buffer.buffer();
      s.handler(received::appendBuffer);
      s.closeHandler(v -> {
        vertx.cancelTimer(timer);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        answer.tryComplete(parse(received.toString(StandardCharsets.ISO_8859_1), ms));
      });
      s.write(Buffer.buffer(wire.getBytes(StandardCharsets.ISO_8859_1)));
    });
    return answer.future();
  }

  private static Answer parse(String response, long ms) {
    int headEnd = response.indexOf("\r\n\r\n");
    if (!response.startsWith("HTTP/1.") || headEnd < 0) {
      return new Answer(-1, "", response, ms);
    }
    int status = Integer.parseInt(response.substring(9, 12));
    String contentType = "";
    for (String line : response.substring(0, headEnd).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
        contentType = line.substring(13).trim();
      }
    }
    return new Answer(status, contentType, response.substring(headEnd + 4), ms);
  }
}
