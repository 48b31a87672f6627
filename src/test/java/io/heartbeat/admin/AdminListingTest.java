package io.heartbeat.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.Commands;
import io.heartbeat.bus.ConnectionIds;
import io.heartbeat.bus.ConnectionListQuery;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.metrics.HeartbeatMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin side of the listing, drain and readiness against stand-in I/O instances on the event
 * bus that follow {@link ConnectionListQuery}: one answering, one failing, one silent.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class AdminListingTest {

  private static final int NODE = 7;
  private static final int ANSWERING = ConnectionIds.ioKey(NODE, 0);
  private static final int ALSO_ANSWERING = ConnectionIds.ioKey(NODE, 1);
  private static final int FAILING = ConnectionIds.ioKey(NODE, 2);
  private static final int SILENT = ConnectionIds.ioKey(NODE, 3);
  private static final long BUS_TIMEOUT_MS = 300;

  private final List<Integer> keys = new ArrayList<>();
  private final AtomicBoolean portUp = new AtomicBoolean(true);
  private final AtomicBoolean undrainWorks = new AtomicBoolean(true);
  private final AtomicBoolean undrainHangs = new AtomicBoolean(false);
  private HttpClient http;
  private int port;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) throws Exception {
    standIn(vertx, ANSWERING, 1, 4, 6, 9, 12);
    standIn(vertx, ALSO_ANSWERING, 2, 3, 7, 10);
    vertx.eventBus().<JsonObject>consumer(Addresses.ioInstance(FAILING),
        m -> m.fail(500, "instance broken"));
    vertx.eventBus().<JsonObject>consumer(Addresses.ioInstance(SILENT), m -> { });
    HeartbeatConfig config = HeartbeatConfig.fromJson(new JsonObject().put("admin.port", 0));
    AdminHooks hooks = new AdminHooks(() -> keys, () -> NODE,
        () -> List.of(new ReadinessCheck("client-port", portUp::get, "port closed for a test")),
        Future::succeededFuture,
        () -> undrainHangs.get() ? Promise.<Void>promise().future()
            : undrainWorks.get() ? Future.succeededFuture()
            : Future.failedFuture("I/O instance 1792: Unknown action \"undrain\""));
    AdminVerticle admin = new AdminVerticle(config, HeartbeatMetrics.standalone(), hooks,
        BUS_TIMEOUT_MS);
    http = vertx.createHttpClient();
    vertx.deployVerticle(admin).onComplete(ctx.succeeding(id -> {
      port = admin.actualPort();
      ctx.completeNow();
    }));
  }

  /** An I/O instance holding connections with these sequence numbers, answering the listing. */
  private static void standIn(Vertx vertx, int ioKey, long... sequences) {
    vertx.eventBus().<JsonObject>consumer(Addresses.ioInstance(ioKey), m -> {
      if (!Commands.LIST.equals(m.body().getString(Commands.ACTION))) {
        m.fail(Commands.BAD_REQUEST, "not a listing");
        return;
      }
      ConnectionListQuery query = ConnectionListQuery.fromJson(m.body());
      for (long sequence : sequences) {
        query.offer(ConnectionIds.id(ioKey, sequence), "127.0.0.1:" + sequence,
            sequence * 1000, sequence * 100, 0);
      }
      m.reply(query.reply());
    });
  }

  private static long id(int ioKey, long sequence) {
    return ConnectionIds.id(ioKey, sequence);
  }

  private Future<Reply> call(HttpMethod method, String uri) {
    return http.request(new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port)
            .setURI(uri))
        .compose(r -> r.send().compose(resp -> resp.body()
            .map(b -> new Reply(resp.statusCode(), b))));
  }

  private record Reply(int status, Buffer body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private static List<Long> ids(JsonObject page) {
    List<Long> ids = new ArrayList<>();
    page.getJsonArray("connections").forEach(c -> ids.add(((JsonObject) c).getLong("id")));
    return ids;
  }

  @Test
  void walksEveryInstanceInIdOrderThroughTheCursor(VertxTestContext ctx) {
    keys.addAll(List.of(ANSWERING, ALSO_ANSWERING));
    List<Long> expected = List.of(id(ANSWERING, 1), id(ANSWERING, 4), id(ANSWERING, 6),
        id(ANSWERING, 9), id(ANSWERING, 12), id(ALSO_ANSWERING, 2), id(ALSO_ANSWERING, 3),
        id(ALSO_ANSWERING, 7), id(ALSO_ANSWERING, 10));
    List<Long> seen = new ArrayList<>();
    walk("/connections?limit=2", seen, 0).onComplete(ctx.succeeding(pages -> ctx.verify(() -> {
      assertEquals(expected, seen);
      assertEquals(5, pages);
      ctx.completeNow();
    })));
  }

  /** Follows next cursors until the last page; returns the number of pages. */
  private Future<Integer> walk(String first, List<Long> seen, int pages) {
    return call(HttpMethod.GET, first).compose(reply -> {
      JsonObject page = reply.json();
      assertEquals(200, reply.status());
      assertEquals(NODE, page.getInteger("node"));
      assertEquals("node", page.getString("scope"));
      assertFalse(page.getBoolean("partial"));
      seen.addAll(ids(page));
      Long next = page.getLong("next");
      return next == null ? Future.succeededFuture(pages + 1)
          : walk("/connections?limit=2&after=" + next, seen, pages + 1);
    });
  }

  @Test
  void filtersTravelToTheInstances(VertxTestContext ctx) {
    keys.addAll(List.of(ANSWERING, ALSO_ANSWERING));
    // Stand-ins report sequence x 100 ms silent and sequence x 1000 ms old.
    call(HttpMethod.GET, "/connections?minSilentMs=700&minAgeMs=9000")
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals(List.of(id(ANSWERING, 9), id(ANSWERING, 12), id(ALSO_ANSWERING, 10)),
              ids(reply.json()));
          assertNull(reply.json().getValue("next"));
          ctx.completeNow();
        })));
  }

  @Test
  void failedAndSilentInstancesMakeThePagePartialAndAreNamed(VertxTestContext ctx) {
    keys.addAll(List.of(ANSWERING, FAILING, SILENT));
    call(HttpMethod.GET, "/connections").onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
      JsonObject page = reply.json();
      assertEquals(200, reply.status());
      assertTrue(page.getBoolean("partial"));
      assertEquals(5, ids(page).size());
      JsonArray failed = page.getJsonArray("failedInstances");
      assertEquals(2, failed.size());
      assertEquals(FAILING, failed.getJsonObject(0).getInteger("ioKey"));
      assertEquals("instance broken", failed.getJsonObject(0).getString("error"));
      assertEquals(SILENT, failed.getJsonObject(1).getInteger("ioKey"));
      assertTrue(failed.getJsonObject(1).getString("error").contains("Timed out"),
          failed.encode());
      ctx.completeNow();
    })));
  }

  @Test
  void describingAConnectionOfASilentInstanceAnswers504(VertxTestContext ctx) {
    call(HttpMethod.GET, "/connections/" + id(SILENT, 1))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals(504, reply.status());
          assertTrue(reply.json().getString("error").contains("did not answer in time"));
          ctx.completeNow();
        })));
  }

  @Test
  void readinessNamesTheFailingCheckAndItsReason(VertxTestContext ctx) {
    call(HttpMethod.GET, "/ready").compose(up -> {
      ctx.verify(() -> assertEquals(200, up.status()));
      portUp.set(false);
      return call(HttpMethod.GET, "/ready");
    }).compose(down -> {
      ctx.verify(() -> {
        assertEquals(503, down.status());
        JsonObject check = down.json().getJsonArray("checks").getJsonObject(0);
        assertEquals("client-port", check.getString("id"));
        assertEquals("DOWN", check.getString("status"));
        assertEquals("port closed for a test", check.getJsonObject("data").getString("reason"));
      });
      return call(HttpMethod.GET, "/health");
    }).onComplete(ctx.succeeding(health -> ctx.verify(() -> {
      assertEquals(200, health.status(), "liveness does not follow readiness");
      assertEquals("UP", health.json().getString("outcome"));
      ctx.completeNow();
    })));
  }

  @Test
  void undrainAnswers200OrSaysWhichInstanceRefused(VertxTestContext ctx) {
    call(HttpMethod.DELETE, "/drain").compose(ok -> {
      ctx.verify(() -> {
        assertEquals(200, ok.status());
        assertEquals(false, ok.json().getBoolean("draining"));
      });
      undrainWorks.set(false);
      return call(HttpMethod.DELETE, "/drain");
    }).onComplete(ctx.succeeding(refused -> ctx.verify(() -> {
      assertEquals(503, refused.status());
      assertTrue(refused.json().getString("error").contains("I/O instance 1792"));
      ctx.completeNow();
    })));
  }

  @Test
  void aRequestNothingAnswersGets503OnceTheRequestTimeoutPasses(VertxTestContext ctx) {
    undrainHangs.set(true);
    call(HttpMethod.DELETE, "/drain").onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
      assertEquals(503, reply.status());
      assertEquals("the request was not answered in time", reply.json().getString("error"));
      ctx.completeNow();
    })));
  }
}
