package io.heartbeat.admin;

import io.heartbeat.bus.Addresses;
import io.heartbeat.bus.Commands;
import io.heartbeat.protocol.Hello;
import io.heartbeat.session.ClientDirectory;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Sessions by client id, from any node of the deployment: {@code GET /clients/{clientId}} (the
 * connection that holds the id, with its session details) and
 * {@code POST /clients/{clientId}/kick}. 404 with a JSON reason when no connection holds the
 * id; 400 for an id the protocol could never carry.
 */
final class ClientRoutes {

  private final Vertx vertx;
  private final ClientDirectory directory;
  private final DeliveryOptions timeout;

  ClientRoutes(Vertx vertx, long busTimeoutMs) {
    this.vertx = vertx;
    this.directory = ClientDirectory.of(vertx);
    this.timeout = new DeliveryOptions().setSendTimeout(busTimeoutMs);
  }

  void mount(Router router) {
    router.get("/clients/:clientId").handler(this::describe);
    router.post("/clients/:clientId/kick").handler(this::kick);
  }

  private void describe(RoutingContext rc) {
    Params.onlyKnown(rc.queryParams(), Set.of());
    String clientId = clientId(rc);
    directory.holder(clientId).onComplete(held -> {
      if (held.failed()) {
        Replies.error(rc, 503, "the client directory did not answer: "
            + held.cause().getMessage());
      } else if (held.result() == null) {
        Replies.error(rc, 404, "no client " + clientId + " is online");
      } else {
        long id = held.result();
        vertx.eventBus().<JsonObject>request(Addresses.ownerOf(id),
                new JsonObject().put(Commands.ACTION, Commands.DESCRIBE).put("id", id), timeout)
            .onSuccess(m -> Replies.json(rc, 200, m.body() == null ? new JsonObject()
                .put("clientId", clientId).put("id", id) : m.body()))
            .onFailure(e -> failure(rc, clientId, e));
      }
    });
  }

  private void kick(RoutingContext rc) {
    Params.onlyKnown(rc.queryParams(), Set.of());
    String clientId = clientId(rc);
    vertx.eventBus().<JsonObject>request(Addresses.COMMAND,
            new JsonObject().put(Commands.ACTION, Commands.KICK).put("clientId", clientId), timeout)
        .onSuccess(m -> Replies.json(rc, 200, new JsonObject().put("kicked", clientId)))
        .onFailure(e -> failure(rc, clientId, e));
  }

  /** The path's client id, checked against the protocol's rule (1..128 UTF-8 bytes). */
  private static String clientId(RoutingContext rc) {
    String clientId = rc.pathParam("clientId");
    int bytes = clientId == null ? 0 : clientId.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < 1 || bytes > Hello.MAX_CLIENT_ID_BYTES) {
      throw new BadRequestException("clientId must be 1.." + Hello.MAX_CLIENT_ID_BYTES
          + " bytes of UTF-8, was " + bytes);
    }
    for (int i = 0; i < clientId.length(); i++) {
      char c = clientId.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new BadRequestException("clientId must not contain control characters");
      }
    }
    return clientId;
  }

  private static void failure(RoutingContext rc, String clientId, Throwable e) {
    int status = Replies.statusOf(e);
    Replies.error(rc, status, switch (status) {
      case 404 -> "no client " + clientId + " is online";
      case 504 -> "the I/O instance holding client " + clientId + " did not answer in time";
      default -> e.getMessage();
    });
  }
}
