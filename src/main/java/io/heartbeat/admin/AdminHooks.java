package io.heartbeat.admin;

import io.vertx.core.Future;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What the admin API needs from the service it runs in. Each supplier is called per request,
 * on the admin event loop, and must not block.
 *
 * @param ioKeys keys of this node's I/O instances (the listing asks each of them)
 * @param node this node's number (0 unless clustered)
 * @param readiness the conditions of {@code GET /ready}, all of which must hold
 * @param drain starts a graceful drain; completes when every instance drained
 * @param undrain ends a drain: every I/O instance takes connections again; fails naming the
 *     instances that did not confirm
 */
public record AdminHooks(Supplier<List<Integer>> ioKeys, IntSupplier node,
    Supplier<List<ReadinessCheck>> readiness, Supplier<Future<Void>> drain,
    Supplier<Future<Void>> undrain) {
}
