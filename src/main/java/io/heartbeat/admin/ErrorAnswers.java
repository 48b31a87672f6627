package io.heartbeat.admin;

import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's answers when no route answers: 404 and 405 in JSON, a refused parameter as
 * 400 with its reason, a handler's bug as 500 (logged once, with the stack), and requests the
 * HTTP decoder rejects (too long a line or header, garbage) as 414/431/400 in JSON.
 */
final class ErrorAnswers {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorAnswers.class);

  private ErrorAnswers() {
  }

  static void mount(Router router) {
    router.route().failureHandler(ErrorAnswers::failure);
    router.errorHandler(404, rc -> Replies.error(rc, 404, "no route "
        + rc.request().method() + " " + rc.request().path()));
    router.errorHandler(405, ErrorAnswers::methodNotAllowed);
  }

  static void methodNotAllowed(RoutingContext rc) {
    Replies.error(rc, 405, "method " + rc.request().method() + " not allowed on "
        + rc.request().path());
  }

  private static void failure(RoutingContext rc) {
    Throwable failure = rc.failure();
    if (failure instanceof BadRequestException) {
      Replies.error(rc, 400, failure.getMessage());
    } else if (failure instanceof HttpException http && http.getStatusCode() < 500) {
      // vertx-web's own refusals, such as a query string that does not decode.
      Throwable cause = http.getCause();
      Replies.error(rc, http.getStatusCode(), "malformed request" + (cause == null ? ""
          : ": " + cause.getMessage()));
    } else if (failure == null && rc.statusCode() == 413) {
      Replies.error(rc, 413, "request body larger than " + AdminVerticle.MAX_BODY_BYTES
          + " bytes; no admin route takes a body");
    } else if (failure == null && rc.statusCode() == 503) {
      Replies.error(rc, 503, "the request was not answered in time");
    } else if (failure == null && rc.statusCode() >= 400 && rc.statusCode() < 500) {
      Replies.error(rc, rc.statusCode(), "request refused (" + rc.statusCode() + ")");
    } else {
      LOG.error("Admin request {} {} failed", rc.request().method(), rc.request().path(),
          failure);
      Replies.error(rc, 500, "internal error: " + (failure == null ? "status "
          + rc.statusCode() : failure.toString()));
    }
  }

  /** Requests the HTTP decoder could not read: the connection is closed after the answer. */
  static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = 400;
    String reason = "malformed HTTP request";
    if (cause instanceof TooLongFrameException && cause.getMessage() != null) {
      if (cause.getMessage().startsWith("An HTTP line is larger than")) {
        status = 414;
        reason = "request line too long";
      } else if (cause.getMessage().startsWith("HTTP header is larger than")) {
        status = 431;
        reason = "request headers too large";
      }
    }
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Connection", "close")
        .end(new JsonObject().put("error", reason).encode());
  }
}
