package io.heartbeat.admin;

/** A request the admin API refuses with 400; the message is the JSON reason, one line. */
final class BadRequestException extends RuntimeException {

  BadRequestException(String reason) {
    super(reason, null, false, false);
  }
}
