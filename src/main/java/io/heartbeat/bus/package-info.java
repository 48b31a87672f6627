/**
 * The event bus contract: every address ({@link io.heartbeat.bus.Addresses}) and message format
 * used between the I/O verticles, the monitor and the application, defined once.
 */
package io.heartbeat.bus;
