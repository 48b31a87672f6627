package io.heartbeat.admin;

import io.heartbeat.config.ConfigException;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.metrics.HeartbeatMetrics;
import io.heartbeat.metrics.ProcessMeters;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP API on its own port (loopback by default); routes, parameters, status codes
 * and JSON shapes are documented in docs/ADMIN.md. {@code /health} and {@code /ready} are
 * {@link HealthRoutes}; the connection routes are {@link ConnectionRoutes}; this class wires
 * them, the bearer token, {@code /metrics}, {@code /drain} and the error answers: every
 * failure, unknown route (404) and wrong method (405) is answered in JSON, and no request waits
 * longer than the bus timeout plus a second.
 *
 * <p>On start it also binds the process meters ({@link ProcessMeters}: JVM, GC, threads, CPU,
 * open files, build info, connection limit); they are released on stop.
 */
public final class AdminVerticle extends VerticleBase {

  /** How long a bus request to an I/O instance may take before the answer says so, in ms. */
  public static final long DEFAULT_BUS_TIMEOUT_MS = 2000;
  /** Largest request body read, in bytes; no route takes a body. */
  static final long MAX_BODY_BYTES = 1024;

  private static final Logger LOG = LoggerFactory.getLogger(AdminVerticle.class);

  private final HeartbeatConfig config;
  private final HeartbeatMetrics metrics;
  private final AdminHooks hooks;
  private final long busTimeoutMs;
  private ProcessMeters processMeters;
  private volatile int actualPort = -1;

  /** An admin API whose bus requests time out after {@link #DEFAULT_BUS_TIMEOUT_MS}. */
  public AdminVerticle(HeartbeatConfig config, HeartbeatMetrics metrics, AdminHooks hooks) {
    this(config, metrics, hooks, DEFAULT_BUS_TIMEOUT_MS);
  }

  /** @param busTimeoutMs how long an I/O instance may take to answer, in ms (above 0) */
  public AdminVerticle(HeartbeatConfig config, HeartbeatMetrics metrics, AdminHooks hooks,
      long busTimeoutMs) {
    if (busTimeoutMs <= 0) {
      throw new IllegalArgumentException("busTimeoutMs must be above 0, was " + busTimeoutMs);
    }
    this.config = config;
    this.metrics = metrics;
    this.hooks = hooks;
    this.busTimeoutMs = busTimeoutMs;
  }

  /** The bound admin port, -1 before start. */
  public int actualPort() {
    return actualPort;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(TimeoutHandler.create(busTimeoutMs + 1000, 503));
    router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    HealthRoutes.mount(vertx, router, metrics, config.runsMonitor(), hooks.readiness().get());
    router.route().handler(this::authorize);
    router.get("/metrics").handler(this::metrics);
    new ConnectionRoutes(vertx, hooks, busTimeoutMs).mount(router);
    new ClientRoutes(vertx, busTimeoutMs).mount(router);
    router.post("/drain").handler(this::drain);
    router.delete("/drain").handler(this::undrain);
    ErrorAnswers.mount(router);
    processMeters = ProcessMeters.bind(metrics, vertx, config);
    HttpServer server = vertx.createHttpServer().requestHandler(router)
        .invalidRequestHandler(ErrorAnswers::invalidRequest);
    return server.listen(config.adminPort(), config.adminHost())
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

  @Override
  public Future<?> stop() {
    if (processMeters != null) {
      processMeters.close();
    }
    return Future.succeededFuture();
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
      Replies.error(rc, 401, header == null ? "missing bearer token"
          : "wrong bearer token (expected Authorization: Bearer <admin.token>)");
    }
  }

  /** Prometheus text; scraped off the event loop, since a scrape walks every meter. */
  private void metrics(RoutingContext rc) {
    if (!(metrics.registry() instanceof PrometheusMeterRegistry prometheus)) {
      Replies.error(rc, 404, "metrics are not kept in Prometheus format");
      return;
    }
    vertx.executeBlocking(prometheus::scrape, false).onComplete(ar -> {
      if (ar.failed()) {
        Replies.error(rc, 500, "scrape failed: " + ar.cause().getMessage());
      } else if (!rc.response().ended()) {
        rc.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .end(ar.result());
      }
    });
  }

  private void drain(RoutingContext rc) {
    hooks.drain().get().onFailure(e -> LOG.warn("Drain did not complete: {}", e.getMessage()));
    Replies.json(rc, 202, new JsonObject().put("draining", true));
  }

  private void undrain(RoutingContext rc) {
    hooks.undrain().get().onComplete(ar -> {
      if (ar.succeeded()) {
        Replies.json(rc, 200, new JsonObject().put("draining", false));
      } else {
        Replies.error(rc, 503, "undrain failed: " + ar.cause().getMessage());
      }
    });
  }
}
