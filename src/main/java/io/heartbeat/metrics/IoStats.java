package io.heartbeat.metrics;

import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.protocol.IllegalFrameException;
import java.util.List;

/**
 * Counters of one I/O instance: plain fields written only by its event loop, so counting costs
 * no atomic operation on the heartbeat path. Metrics read them from the scrape thread; a read may
 * lag by a few increments, never tear (64-bit JVM).
 */
public final class IoStats {

  /** Close reasons with a counter of their own, in this order. */
  public static final List<String> CLOSE_REASONS = List.of(LifecycleEvents.TIMEOUT,
      LifecycleEvents.PROTOCOL_ERROR, LifecycleEvents.PEER_CLOSED, LifecycleEvents.IO_ERROR,
      LifecycleEvents.KICKED, LifecycleEvents.SHUTDOWN, LifecycleEvents.SLOW_CONSUMER,
      LifecycleEvents.FIRST_FRAME_TIMEOUT, LifecycleEvents.REPLACED,
      LifecycleEvents.UNAUTHORIZED, LifecycleEvents.FLAPPING, LifecycleEvents.LIMIT);

  /** Credential refusal reasons with a counter of their own; any other counts as the last. */
  public static final List<String> AUTH_FAILURE_REASONS = List.of("missing", "bad-token",
      "bad-signature", "alg-none", "expired", "wrong-subject", "oversize", "other");

  volatile int open;
  long opened;
  long rejected;
  long heartbeats;
  long acks;
  long probes;
  long dataFrames;
  final long[] protocolErrors = new long[IllegalFrameException.Reason.values().length];
  final long[] closes = new long[CLOSE_REASONS.size()];
  volatile int sessionsOpen;
  long takeovers;
  long flappingRefusals;
  long dataBeforeWelcome;
  final long[] authFailures = new long[AUTH_FAILURE_REASONS.size()];

  public int open() {
    return open;
  }

  public long opened() {
    return opened;
  }

  /** Connections closed at accept because a connection limit was reached. */
  public long rejected() {
    return rejected;
  }

  public long heartbeats() {
    return heartbeats;
  }

  public long acks() {
    return acks;
  }

  public long probes() {
    return probes;
  }

  public long dataFrames() {
    return dataFrames;
  }

  /** Protocol errors by {@link io.heartbeat.protocol.IllegalFrameException.Reason} ordinal. */
  public long protocolErrors(int reasonOrdinal) {
    return protocolErrors[reasonOrdinal];
  }

  /** Closes by index in {@link #CLOSE_REASONS}. */
  public long closes(int reasonIndex) {
    return closes[reasonIndex];
  }

  /** Sessions open now (WELCOME sent, not closed). */
  public int sessionsOpen() {
    return sessionsOpen;
  }

  /** Sessions that took their client id over from an older connection. */
  public long takeovers() {
    return takeovers;
  }

  /** HELLOs refused with GOODBYE flapping. */
  public long flappingRefusals() {
    return flappingRefusals;
  }

  /** DATA frames dropped because they came before WELCOME on an authenticated port. */
  public long dataBeforeWelcome() {
    return dataBeforeWelcome;
  }

  /** Credential refusals by index in {@link #AUTH_FAILURE_REASONS}. */
  public long authFailures(int reasonIndex) {
    return authFailures[reasonIndex];
  }

  /** A session opened (WELCOME sent); {@code takeover} when it replaced an older connection. */
  public void countSessionOpened(boolean takeover) {
    sessionsOpen++;
    if (takeover) {
      takeovers++;
    }
  }

  /** A connection with an open session closed. */
  public void countSessionClosed() {
    sessionsOpen--;
  }

  public void countFlappingRefusal() {
    flappingRefusals++;
  }

  public void countDataBeforeWelcome() {
    dataBeforeWelcome++;
  }

  /** A credential was refused for {@code reason} (see {@link #AUTH_FAILURE_REASONS}). */
  public void countAuthFailure(String reason) {
    int i = AUTH_FAILURE_REASONS.indexOf(reason);
    authFailures[i >= 0 ? i : AUTH_FAILURE_REASONS.size() - 1]++;
  }

  /** A connection was accepted; {@code openNow} connections are open after it. */
  public void countOpened(int openNow) {
    opened++;
    open = openNow;
  }

  /** A connection was refused at accept (connection limit or draining). */
  public void countRejected() {
    rejected++;
  }

  public void countHeartbeat() {
    heartbeats++;
  }

  public void countAck() {
    acks++;
  }

  public void countProbe() {
    probes++;
  }

  public void countData() {
    dataFrames++;
  }

  public void countProtocolError(IllegalFrameException.Reason reason) {
    protocolErrors[reason.ordinal()]++;
  }

  /** A connection closed for {@code reason}; {@code openNow} connections are open after it. */
  public void countClosed(String reason, int openNow) {
    open = openNow;
    int i = CLOSE_REASONS.indexOf(reason);
    if (i >= 0) {
      closes[i]++;
    }
  }
}
