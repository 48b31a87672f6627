package io.heartbeat.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.HeartbeatService;
import io.heartbeat.bus.Addresses;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.metrics.HeartbeatMetrics;
import io.heartbeat.protocol.FrameDecoder;
import io.heartbeat.protocol.FrameType;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class AdminApiTest {

  private static final String TOKEN = "s3cret-token";
  private static final byte[] HEARTBEAT = new byte[FrameDecoder.HEADER_BYTES];

  private HeartbeatService service;
  private HttpClient http;
  /** One client kept in a field: Vert.x closes an unreachable NetClient's sockets on GC. */
  private io.vertx.core.net.NetClient tcp;
  private Vertx vertx;

  @AfterEach
  void close(VertxTestContext ctx) {
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  @BeforeEach
  void start(VertxTestContext ctx) throws Exception {
    // Built here, not injected: Vert.x's own meters need the metrics SPI, as in production.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(
            new MicrometerMetricsOptions().setEnabled(true)
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))))
        .withMetrics(new MicrometerMetricsFactory(registry)).build();
    HeartbeatConfig config = HeartbeatConfig.fromJson(new JsonObject().put("port", 0)
        .put("tickMs", 50).put("maxMissed", 100).put("ioInstances", 2)
        .put("admin.port", 0).put("admin.token", TOKEN));
    http = vertx.createHttpClient();
    tcp = vertx.createNetClient();
    HeartbeatService.start(vertx, config, new HeartbeatService.Options().admin(true)
            .metrics(new HeartbeatMetrics(registry)))
        .onComplete(ctx.succeeding(s -> {
          service = s;
          ctx.completeNow();
        }));
  }

  private Future<HttpClientResponse> call(HttpMethod method, String path, String token) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1")
        .setPort(service.adminPort()).setURI(path);
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    return http.request(options).compose(r -> r.send());
  }

  private Future<String> body(HttpMethod method, String path, int expectedStatus) {
    return call(method, path, TOKEN).compose(r -> {
      if (r.statusCode() != expectedStatus) {
        return Future.failedFuture(path + " answered " + r.statusCode());
      }
      return r.body().map(Buffer::toString);
    });
  }

  private static double metric(String scrape, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.E+-]+)$").matcher(scrape);
    if (!m.find()) {
      throw new AssertionError(name + " not in scrape");
    }
    return Double.parseDouble(m.group(1));
  }

  @Test
  void healthAndReadyAnswerWithoutTokenOtherEndpointsRequireIt(VertxTestContext ctx) {
    call(HttpMethod.GET, "/health", null).compose(health -> {
      ctx.verify(() -> assertEquals(200, health.statusCode()));
      return call(HttpMethod.GET, "/ready", null);
    }).compose(ready -> {
      ctx.verify(() -> assertEquals(200, ready.statusCode()));
      return call(HttpMethod.GET, "/metrics", null);
    }).compose(noToken -> {
      ctx.verify(() -> assertEquals(401, noToken.statusCode()));
      return call(HttpMethod.GET, "/connections", "wrong");
    }).compose(wrong -> {
      ctx.verify(() -> assertEquals(401, wrong.statusCode()));
      return call(HttpMethod.GET, "/connections", TOKEN);
    }).onComplete(ctx.succeeding(ok -> ctx.verify(() -> {
      assertEquals(200, ok.statusCode());
      ctx.completeNow();
    })));
  }

  @Test
  void metricsMoveAsHeartbeatsFlow(VertxTestContext ctx) {
    body(HttpMethod.GET, "/metrics", 200).compose(before -> {
      double received = metric(before, "heartbeat_heartbeats_received_total");
      double acks = metric(before, "heartbeat_acks_sent_total");
      return tcp.connect(service.port(), "127.0.0.1")
          .compose(socket -> exchange(socket, 3))
          .compose(v -> body(HttpMethod.GET, "/metrics", 200))
          .map(after -> {
            ctx.verify(() -> {
              assertEquals(received + 3, metric(after, "heartbeat_heartbeats_received_total"));
              assertEquals(acks + 3, metric(after, "heartbeat_acks_sent_total"));
              assertEquals(1.0, metric(after, "heartbeat_connections_open"));
              assertTrue(after.contains("vertx_eventbus_handlers"),
                  "Vert.x's own metrics are missing");
            });
            return after;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  /** Sends n heartbeats, one after the other's ack (8 bytes each). */
  private static Future<Void> exchange(NetSocket socket, int n) {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    int[] ackBytes = {0};
    socket.handler(b -> {
      ackBytes[0] += b.length();
      if (ackBytes[0] == n * 8) {
        done.tryComplete();
      } else if (ackBytes[0] % 8 == 0) {
        socket.write(Buffer.buffer(HEARTBEAT));
      }
    });
    socket.write(Buffer.buffer(HEARTBEAT));
    return done.future();
  }

  @Test
  void listsDescribesAndKicksAConnection(VertxTestContext ctx) {
    long[] id = new long[1];
    vertx.eventBus().<JsonObject>consumer(Addresses.CONNECTION_OPENED,
        m -> id[0] = m.body().getLong("id"));
    io.vertx.core.Promise<String> goodbye = io.vertx.core.Promise.promise();
    tcp.connect(service.port(), "127.0.0.1").compose(socket ->
        exchange(socket, 1).onSuccess(v -> socket.handler(b -> {
          if (b.length() >= 8 && b.getIntLE(0) == FrameType.GOODBYE) {
            goodbye.tryComplete(b.getString(8, 8 + b.getIntLE(4)));
          }
        }))).compose(v -> body(HttpMethod.GET, "/connections?peer=127.0.0.1", 200))
        .compose(list -> {
          JsonObject page = new JsonObject(list);
          ctx.verify(() -> {
            assertEquals(1, page.getJsonArray("connections").size());
            assertEquals(id[0], page.getJsonArray("connections").getJsonObject(0).getLong("id"));
            assertEquals("node", page.getString("scope"));
            assertEquals(false, page.getBoolean("partial"));
          });
          return body(HttpMethod.GET, "/connections?peer=10.9.9.9", 200);
        }).compose(filtered -> {
          ctx.verify(() -> assertTrue(new JsonObject(filtered).getJsonArray("connections")
              .isEmpty()));
          return body(HttpMethod.GET, "/connections/" + id[0], 200);
        }).compose(detail -> {
          ctx.verify(() -> assertTrue(new JsonObject(detail).containsKey("sinceLastFrameMs")));
          return body(HttpMethod.GET, "/connections/12345", 404);
        }).compose(missing -> body(HttpMethod.POST, "/connections/" + id[0] + "/kick", 200))
        .compose(kicked -> goodbye.future())
        .onComplete(ctx.succeeding(reason -> ctx.verify(() -> {
          assertEquals("kicked", reason);
          ctx.completeNow();
        })));
  }

  @Test
  void adminIsBoundOnlyToItsConfiguredLoopbackAddress(VertxTestContext ctx) {
    // 127.0.0.2 is this machine too: a server bound to 0.0.0.0 would answer there.
    http.request(new RequestOptions().setHost("127.0.0.2").setPort(service.adminPort())
            .setURI("/health"))
        .onComplete(ctx.failing(e -> ctx.completeNow()));
  }

  @Test
  void notReadyWhileDraining(VertxTestContext ctx) {
    body(HttpMethod.POST, "/drain", 202)
        .compose(v -> call(HttpMethod.GET, "/ready", null))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(503, r.statusCode());
          ctx.completeNow();
        })));
  }

  @Test
  void readyAndHealthNameEveryCheck(VertxTestContext ctx) {
    call(HttpMethod.GET, "/ready", null).compose(r -> r.body().map(b -> new JsonObject(b)))
        .compose(ready -> {
          ctx.verify(() -> assertEquals(List.of("client-port", "draining", "monitor-ticking"),
              checkIds(ready)));
          return call(HttpMethod.GET, "/health", null).compose(r -> r.body()
              .map(b -> new JsonObject(b)));
        }).onComplete(ctx.succeeding(health -> ctx.verify(() -> {
          assertEquals(List.of("event-loop", "monitor-timer"), checkIds(health));
          assertEquals("UP", health.getString("outcome"));
          ctx.completeNow();
        })));
  }

  private static List<String> checkIds(JsonObject result) {
    List<String> ids = new ArrayList<>();
    result.getJsonArray("checks").forEach(c -> ids.add(((JsonObject) c).getString("id")));
    return ids;
  }

  @Test
  void drainNamesTheDrainingCheckAndUndrainMakesTheServiceReadyAgain(VertxTestContext ctx) {
    body(HttpMethod.POST, "/drain", 202)
        .compose(v -> call(HttpMethod.GET, "/ready", null))
        .compose(r -> {
          ctx.verify(() -> assertEquals(503, r.statusCode()));
          return r.body().map(b -> new JsonObject(b));
        }).compose(ready -> {
          ctx.verify(() -> {
            JsonObject draining = ready.getJsonArray("checks").getJsonObject(1);
            assertEquals("draining", draining.getString("id"));
            assertEquals("DOWN", draining.getString("status"));
            assertTrue(draining.getJsonObject("data").getString("reason")
                .contains("DELETE /drain"));
          });
          return body(HttpMethod.DELETE, "/drain", 200);
        }).compose(v -> call(HttpMethod.GET, "/ready", null))
        .compose(ready -> {
          ctx.verify(() -> assertEquals(200, ready.statusCode()));
          return tcp.connect(service.port(), "127.0.0.1").compose(socket -> exchange(socket, 1));
        }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void listingWalksEveryConnectionThroughTheCursorAcrossInstances(VertxTestContext ctx) {
    int connections = 5;
    List<Long> opened = new ArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.CONNECTION_OPENED,
        m -> opened.add(m.body().getLong("id")));
    Future<Void> all = Future.succeededFuture();
    for (int i = 0; i < connections; i++) {
      all = all.compose(v -> tcp.connect(service.port(), "127.0.0.1")
          .compose(socket -> exchange(socket, 1)));
    }
    List<Long> listed = new ArrayList<>();
    all.compose(v -> walk("/connections?limit=2", listed))
        .onComplete(ctx.succeeding(pages -> ctx.verify(() -> {
          List<Long> sorted = new ArrayList<>(opened);
          Collections.sort(sorted);
          assertEquals(sorted, listed);
          assertEquals(3, pages);
          ctx.completeNow();
        })));
  }

  @Test
  void listingFiltersByAgeAndSilenceOnTheInstances(VertxTestContext ctx) {
    tcp.connect(service.port(), "127.0.0.1").compose(socket -> exchange(socket, 1))
        .compose(v -> body(HttpMethod.GET, "/connections?minAgeMs=0&minSilentMs=0", 200))
        .compose(any -> {
          ctx.verify(() -> assertEquals(1,
              new JsonObject(any).getJsonArray("connections").size()));
          return body(HttpMethod.GET, "/connections?minAgeMs=3600000", 200);
        }).compose(old -> {
          ctx.verify(() -> assertTrue(new JsonObject(old).getJsonArray("connections").isEmpty(),
              "a connection opened just now is listed as an hour old: " + old));
          return body(HttpMethod.GET, "/connections?minSilentMs=3600000", 200);
        }).onComplete(ctx.succeeding(silent -> ctx.verify(() -> {
          assertTrue(new JsonObject(silent).getJsonArray("connections").isEmpty(),
              "a connection that just spoke is listed as silent for an hour: " + silent);
          ctx.completeNow();
        })));
  }

  /** Follows next cursors from {@code uri}; returns the number of pages. */
  private Future<Integer> walk(String uri, List<Long> listed) {
    return body(HttpMethod.GET, uri, 200).compose(text -> {
      JsonObject page = new JsonObject(text);
      page.getJsonArray("connections").forEach(c -> listed.add(((JsonObject) c).getLong("id")));
      Long next = page.getLong("next");
      return next == null ? Future.succeededFuture(1)
          : walk("/connections?limit=2&after=" + next, listed).map(n -> n + 1);
    });
  }
}
