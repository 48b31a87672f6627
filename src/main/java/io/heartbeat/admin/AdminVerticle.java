package io.heartbeat.admin;

import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.Commands;
import io.heartbeat.config.ConfigException;
import io.heartbeat.config.HeartbeatConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP API, on its own port (loopback by default):
 * <ul>
 *   <li>{@code GET /health}: 200 while the process runs.</li>
 *   <li>{@code GET /ready}: 200 when listening, not draining and the monitor ticked within two
 *       ticks; 503 otherwise.</li>
 *   <li>{@code GET /metrics}: Prometheus text (Vert.x and heartbeat meters).</li>
 *   <li>{@code GET /connections?peer=&page=&size=}: connections, paged, optionally filtered by a
 *       substring of the peer address; {@code GET /connections/{id}}: one connection.</li>
 *   <li>{@code POST /connections/{id}/kick}: GOODBYE "kicked", then close.</li>
 *   <li>{@code POST /drain}: start a graceful drain (202).</li>
 * </ul>
 * With {@code admin.token} set, everything but /health and /ready needs
 * {@code Authorization: Bearer <token>} (401 otherwise).
 */
public final class AdminVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AdminVerticle.class);
  private static final int MAX_PAGE_SIZE = 1000;

  private final HeartbeatConfig config;
  private final MeterRegistry registry;
  private final Supplier<List<Integer>> ioKeys;
  private final BooleanSupplier ready;
  private final Supplier<Future<Void>> drain;
  private HttpServer server;
  private volatile int actualPort = -1;

  /**
   * @param ioKeys keys of the I/O instances whose connections to list
   * @param ready readiness (listening, not draining, monitor ticking)
   * @param drain starts a graceful drain
   */
  public AdminVerticle(HeartbeatConfig config, MeterRegistry registry,
      Supplier<List<Integer>> ioKeys, BooleanSupplier ready, Supplier<Future<Void>> drain) {
    this.config = config;
    this.registry = registry;
    this.ioKeys = ioKeys;
    this.ready = ready;
    this.drain = drain;
  }

  /** The bound admin port, -1 before start. */
  public int actualPort() {
    return actualPort;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/health").handler(rc -> json(rc, 200, new JsonObject().put("status", "UP")));
    router.get("/ready").handler(rc -> {
      boolean ok = ready.getAsBoolean();
      json(rc, ok ? 200 : 503, new JsonObject().put("ready", ok));
    });
    router.route().handler(this::authorize);
    router.get("/metrics").handler(this::metrics);
    router.get("/connections").handler(this::list);
    router.get("/connections/:id").handler(this::describe);
    router.post("/connections/:id/kick").handler(this::kick);
    router.post("/drain").handler(rc -> {
      drain.get();
      json(rc, 202, new JsonObject().put("draining", true));
    });
    server = vertx.createHttpServer();
    return server.requestHandler(router).listen(config.adminPort(), config.adminHost())
        .recover(e -> Future.failedFuture(new ConfigException("Cannot start the admin API on "
            + config.adminHost() + ":" + config.adminPort() + ": " + e.getMessage()
            + ". Choose another admin.port (HEARTBEAT_ADMIN_PORT) or set admin.enabled to"
            + " false.")))
        .onSuccess(s -> {
          actualPort = s.actualPort();
          LOG.info("Admin API on http://{}:{} (/health /ready /metrics /connections /drain){}",
              config.adminHost(), actualPort, config.adminToken().isEmpty() ? ""
                  : ", bearer token required");
        });
  }

  private void authorize(RoutingContext rc) {
    String token = config.adminToken();
    if (token.isEmpty()) {
      rc.next();
      return;
    }
    String header = rc.request().getHeader("Authorization");
    byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
    if (MessageDigest.isEqual(expected, given)) {
      rc.next();
    } else {
      rc.response().putHeader("WWW-Authenticate", "Bearer");
      json(rc, 401, new JsonObject().put("error", "missing or wrong bearer token"));
    }
  }

  private void metrics(RoutingContext rc) {
    if (!(registry instanceof PrometheusMeterRegistry)) {
      json(rc, 404, new JsonObject().put("error", "metrics are not kept in Prometheus format"));
      return;
    }
    rc.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(((PrometheusMeterRegistry) registry).scrape());
  }

  private void list(RoutingContext rc) {
    String peer = rc.queryParams().get("peer");
    int page = intParam(rc, "page", 0);
    int size = Math.min(MAX_PAGE_SIZE, Math.max(1, intParam(rc, "size", 100)));
    List<Future<Message<JsonObject>>> replies = new ArrayList<>();
    JsonObject request = new JsonObject().put(Commands.ACTION, Commands.LIST).put("peer", peer);
    for (int key : ioKeys.get()) {
      replies.add(vertx.eventBus().request(Addresses.ioInstance(key), request,
          new DeliveryOptions().setSendTimeout(5000)));
    }
    Future.join(replies).onComplete(ar -> {
      List<JsonObject> all = new ArrayList<>();
      for (Future<Message<JsonObject>> r : replies) {
        if (r.succeeded()) {
          r.result().body().getJsonArray("connections").forEach(c -> all.add((JsonObject) c));
        }
      }
      all.sort(Comparator.comparingLong(c -> c.getLong("id")));
      int from = Math.min(all.size(), page * size);
      int to = Math.min(all.size(), from + size);
      json(rc, 200, new JsonObject().put("total", all.size()).put("page", page)
          .put("size", size).put("connections", new JsonArray(new ArrayList<>(
              all.subList(from, to)))));
    });
  }

  private void describe(RoutingContext rc) {
    Long id = idParam(rc);
    if (id == null) {
      return;
    }
    vertx.eventBus().<JsonObject>request(Addresses.ownerOf(id),
            new JsonObject().put(Commands.ACTION, Commands.DESCRIBE).put("id", id))
        .onSuccess(m -> json(rc, 200, m.body()))
        .onFailure(e -> json(rc, 404, new JsonObject().put("error", "no open connection " + id)));
  }

  private void kick(RoutingContext rc) {
    Long id = idParam(rc);
    if (id == null) {
      return;
    }
    vertx.eventBus().<JsonObject>request(Addresses.COMMAND, Commands.kick(id))
        .onSuccess(m -> json(rc, 200, new JsonObject().put("kicked", id)))
        .onFailure(e -> json(rc, e instanceof ReplyException
            && ((ReplyException) e).failureCode() == Commands.NOT_FOUND ? 404 : 500,
            new JsonObject().put("error", e.getMessage())));
  }

  private Long idParam(RoutingContext rc) {
    try {
      return Long.parseLong(rc.pathParam("id"));
    } catch (NumberFormatException e) {
      json(rc, 400, new JsonObject().put("error", "connection id must be a number"));
      return null;
    }
  }

  private static int intParam(RoutingContext rc, String name, int fallback) {
    try {
      String v = rc.queryParams().get(name);
      return v == null ? fallback : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(body.encode());
  }
}
