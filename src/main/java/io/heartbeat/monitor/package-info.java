/**
 * Detection: the monitor verticle (timer and event-bus wiring only) and the pure logic it drives,
 * {@link io.heartbeat.monitor.LivenessTable} and {@link io.heartbeat.monitor.TickGuard}, which
 * take every time as an argument so tests run them tick by tick without sleeping.
 */
package io.heartbeat.monitor;
