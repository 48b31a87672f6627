package io.heartbeat.client;

/**
 * A {@link HeartbeatClient} will try to connect again after {@code delayMs}.
 *
 * @param attempt the number of the pass that follows this wait, counting the passes since the
 *     last successful connection (or since {@link HeartbeatClient#connect()}), that one included:
 *     1 for the first pass after a disconnect, 2 after the first failed pass of a connect(). A
 *     pass tries every server of the list once; with one server it is one connect attempt
 * @param delayMs the delay before the attempt, in ms
 * @param boundMs the upper bound the delay was drawn from (backoff bound, or the shutdown jitter
 *     bound after GOODBYE "shutdown"), in ms
 * @param cause what ended the last connection, or {@code "connect failed: "} and why the last
 *     pass failed (with several servers, {@code host:port: reason} per server, separated by
 *     {@code "; "}), for logs
 */
public record ReconnectScheduled(int attempt, long delayMs, long boundMs, String cause) {
}
