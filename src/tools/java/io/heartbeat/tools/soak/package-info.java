/**
 * The full-size reliability runs: {@link io.heartbeat.tools.soak.ReliabilityRun} (the fault
 * scenarios of {@code io.heartbeat.testing.scenario} at the sizes, run with
 * {@code scripts/reliability}) and {@link io.heartbeat.tools.soak.SoakRun} (19,000 healthy
 * connections with waves of silent, dripping, frozen and half-open victims, run with
 * {@code scripts/soak-waves}). Tools, compiled with the tests (they share the test harness of
 * {@code io.heartbeat.testing}) and never packaged into the service's jar; the JUnit tests run
 * the same scenarios scaled down.
 */
package io.heartbeat.tools.soak;
