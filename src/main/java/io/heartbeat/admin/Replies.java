package io.heartbeat.admin;

import io.heartbeat.bus.Commands;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** JSON answers of the admin API, and the HTTP status an event-bus failure maps to. */
final class Replies {

  private Replies() {
  }

  /** Ends the response with {@code body}, unless it was already ended (then does nothing). */
  static void json(RoutingContext rc, int status, JsonObject body) {
    if (rc.response().ended() || rc.response().closed()) {
      return;
    }
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  /** {@code {"error": reason}} with {@code status}. */
  static void error(RoutingContext rc, int status, String reason) {
    json(rc, status, new JsonObject().put("error", reason));
  }

  /**
   * 404 when no instance owns the connection (no handler, or the owner said not found), 504 when
   * the owner did not answer in time, 400 when it refused the command as malformed, else 500.
   */
  static int statusOf(Throwable busFailure) {
    if (busFailure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.NO_HANDLERS
          || reply.failureCode() == Commands.NOT_FOUND) {
        return 404;
      }
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return 504;
      }
      if (reply.failureCode() == Commands.BAD_REQUEST) {
        return 400;
      }
    }
    return 500;
  }
}
