/**
 * JMH micro-benchmarks of the scale model's unit costs: sweep per tracked connection, activity
 * applied per entry, batch encode and decode per entry, cluster routing per entry. Run with
 * {@code scripts/scale-model jmh}.
 */
package io.heartbeat.tools.scale.bench;
