package io.heartbeat.admin;

import io.heartbeat.admin.ConnectionPages.InstancePage;
import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.Commands;
import io.heartbeat.bus.ConnectionListQuery;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /connections} (this node's connections, a cursor page merged from every I/O
 * instance), {@code GET /connections/{id}} and {@code POST /connections/{id}/kick}. Every bus
 * request carries a timeout, so every request is answered.
 */
final class ConnectionRoutes {

  private final Vertx vertx;
  private final AdminHooks hooks;
  private final DeliveryOptions timeout;

  ConnectionRoutes(Vertx vertx, AdminHooks hooks, long busTimeoutMs) {
    this.vertx = vertx;
    this.hooks = hooks;
    this.timeout = new DeliveryOptions().setSendTimeout(busTimeoutMs);
  }

  void mount(Router router) {
    router.get("/connections").handler(this::list);
    router.get("/connections/:id").handler(this::describe);
    router.post("/connections/:id/kick").handler(this::kick);
  }

  private void list(RoutingContext rc) {
    ConnectionListQuery query = ListRequest.parse(rc.queryParams());
    List<Integer> keys = hooks.ioKeys().get();
    List<Future<Message<JsonObject>>> replies = new ArrayList<>(keys.size());
    JsonObject request = query.toJson();
    for (int key : keys) {
      replies.add(vertx.eventBus().request(Addresses.ioInstance(key), request, timeout));
    }
    Future.join(replies).onComplete(ignored -> {
      List<InstancePage> pages = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        Future<Message<JsonObject>> reply = replies.get(i);
        pages.add(reply.succeeded() && reply.result().body() != null
            ? InstancePage.answered(keys.get(i), reply.result().body())
            : InstancePage.failed(keys.get(i), reply.failed() ? reply.cause().getMessage()
                : "empty reply"));
      }
      Replies.json(rc, 200, ConnectionPages.merge(hooks.node().getAsInt(), query.after(),
          query.limit(), pages));
    });
  }

  private void describe(RoutingContext rc) {
    Params.onlyKnown(rc.queryParams(), Set.of());
    long id = Params.connectionId(rc.pathParam("id"));
    vertx.eventBus().<JsonObject>request(Addresses.ownerOf(id),
            new JsonObject().put(Commands.ACTION, Commands.DESCRIBE).put("id", id), timeout)
        .onSuccess(m -> {
          if (m.body() == null) {
            Replies.error(rc, 500, "the I/O instance owning " + id + " answered nothing");
          } else {
            Replies.json(rc, 200, m.body());
          }
        })
        .onFailure(e -> busFailure(rc, id, e));
  }

  private void kick(RoutingContext rc) {
    Params.onlyKnown(rc.queryParams(), Set.of());
    long id = Params.connectionId(rc.pathParam("id"));
    vertx.eventBus().<JsonObject>request(Addresses.COMMAND, Commands.kick(id), timeout)
        .onSuccess(m -> Replies.json(rc, 200, new JsonObject().put("kicked", id)))
        .onFailure(e -> busFailure(rc, id, e));
  }

  private static void busFailure(RoutingContext rc, long id, Throwable e) {
    int status = Replies.statusOf(e);
    Replies.error(rc, status, switch (status) {
      case 404 -> "no open connection " + id;
      case 504 -> "the I/O instance owning connection " + id + " did not answer in time";
      default -> e.getMessage();
    });
  }
}
