package io.heartbeat.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.HeartbeatService;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.Hello;
import io.heartbeat.testing.FrameClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /clients/{clientId}} and {@code POST /clients/{clientId}/kick} through the admin
 * port against a real session: details of the holder, GOODBYE kicked, 404 for an id nobody
 * holds, 400 for an id the protocol cannot carry.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class AdminClientRoutesTest {

  private HeartbeatService service;
  private HttpClient http;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) throws Exception {
    HeartbeatConfig config = HeartbeatConfig.fromJson(new JsonObject().put("port", 0)
        .put("tickMs", 50).put("maxMissed", 100).put("admin.port", 0));
    http = vertx.createHttpClient();
    HeartbeatService.start(vertx, config, new HeartbeatService.Options().admin(true))
        .onComplete(ctx.succeeding(s -> {
          service = s;
          ctx.completeNow();
        }));
  }

  private Future<JsonObject> call(HttpMethod method, String path) {
    return http.request(new RequestOptions().setMethod(method).setHost("127.0.0.1")
            .setPort(service.adminPort()).setURI(path))
        .compose(r -> r.send().compose(resp -> resp.body().map(body -> new JsonObject()
            .put("status", resp.statusCode()).put("body", new JsonObject(body)))));
  }

  private Future<FrameClient> session(Vertx vertx, String clientId, int intervalMs) {
    return FrameClient.connect(vertx, service.port()).compose(client -> {
      client.send(FrameType.HELLO, new Hello(intervalMs, clientId, "")
          .payload(ByteOrder.LITTLE_ENDIAN));
      return client.frames().at(0).map(welcome -> {
        assertEquals(FrameType.WELCOME, welcome.type());
        return client;
      });
    });
  }

  @Test
  void describesAndKicksASessionByClientId(Vertx vertx, VertxTestContext ctx) {
    session(vertx, "door/7", 120).compose(client -> call(HttpMethod.GET, "/clients/door%2F7")
        .compose(described -> {
          ctx.verify(() -> {
            assertEquals(200, described.getInteger("status"), described.encode());
            JsonObject body = described.getJsonObject("body");
            assertEquals("door/7", body.getString("clientId"));
            assertEquals(150L, body.getLong("intervalMs"), "120 ms is three ticks of 50");
            assertEquals(15_000L, body.getLong("closeAfterMs"));
          });
          return call(HttpMethod.POST, "/clients/door%2F7/kick");
        })
        .compose(kicked -> {
          ctx.verify(() -> assertEquals(200, kicked.getInteger("status"), kicked.encode()));
          return client.closed().map(t -> client);
        }))
        .onComplete(ctx.succeeding(client -> ctx.verify(() -> {
          FrameClient.Frame last = client.frames().snapshot()
              .get(client.frames().size() - 1);
          assertEquals(new FrameClient.Frame(FrameType.GOODBYE, FrameClient.utf8("kicked")),
              last);
          ctx.completeNow();
        })));
  }

  @Test
  void answers404ForAnIdNobodyHoldsAnd400ForAnIdTheProtocolCannotCarry(
      VertxTestContext ctx) {
    call(HttpMethod.GET, "/clients/nobody").compose(missing -> {
      ctx.verify(() -> {
        assertEquals(404, missing.getInteger("status"));
        assertTrue(missing.getJsonObject("body").encode().contains("nobody"));
      });
      return call(HttpMethod.POST, "/clients/nobody/kick");
    }).compose(missingKick -> {
      ctx.verify(() -> assertEquals(404, missingKick.getInteger("status")));
      return call(HttpMethod.GET, "/clients/" + "x".repeat(129));
    }).compose(tooLong -> {
      ctx.verify(() -> assertEquals(400, tooLong.getInteger("status")));
      return call(HttpMethod.GET, "/clients/a%01b");
    }).onComplete(ctx.succeeding(control -> ctx.verify(() -> {
      assertEquals(400, control.getInteger("status"), control.encode());
      ctx.completeNow();
    })));
  }
}
