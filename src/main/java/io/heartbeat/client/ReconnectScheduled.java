package io.heartbeat.client;

/**
 * A {@link HeartbeatClient} will try to connect again after {@code delayMs}.
 *
 * @param attempt consecutive attempts since the last successful connection, this one included
 *     (1 for the first attempt after a disconnect)
 * @param delayMs the delay before the attempt, in ms
 * @param boundMs the upper bound the delay was drawn from (backoff bound, or the shutdown jitter
 *     bound after GOODBYE "shutdown"), in ms
 * @param cause what ended the last connection or failed the last attempt, for logs
 */
public record ReconnectScheduled(int attempt, long delayMs, long boundMs, String cause) {
}
