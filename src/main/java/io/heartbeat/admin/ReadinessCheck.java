package io.heartbeat.admin;

import java.util.function.BooleanSupplier;

/**
 * One named condition of readiness ({@code GET /ready}), shown by name in the JSON body so a 503
 * says why: for example {@code client-port}, {@code monitor-ticking}, {@code cluster-monitors},
 * {@code draining}. The condition is read on the admin event loop and must not block.
 *
 * @param name the check's id in the JSON body (lowercase, dashes)
 * @param up whether the condition holds now
 * @param whenDown one line saying what is wrong, shown when it does not hold
 */
public record ReadinessCheck(String name, BooleanSupplier up, String whenDown) {
}
