/**
 * Fault scenarios against the service in its own process ({@link
 * io.heartbeat.testing.ServiceProcess}): garbage, length-field, drip, churn, flood and stall,
 * each a {@code run(Vertx, Params)} that returns a {@link io.heartbeat.testing.scenario.Report}
 * of figures and violations, judged with {@link io.heartbeat.testing.scenario.VerdictWindow}
 * and {@link io.heartbeat.testing.scenario.Victims}. The tests in {@code io.heartbeat.server}
 * run them scaled down; {@code io.heartbeat.tools.soak} runs them at full size.
 */
package io.heartbeat.testing.scenario;
