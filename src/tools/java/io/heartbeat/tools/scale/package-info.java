/**
 * The scale model (issue 15): the real monitor code, activity batch encoding and cluster routing
 * driven by synthetic I/O instances without sockets, at sizes sockets cannot reach on one
 * machine. A tool, compiled with the tests and never packaged into the service's jar; run it
 * with {@code scripts/scale-model}. {@link io.heartbeat.tools.scale.ScaleModel} is the entry
 * point; the JMH micro-benchmarks are in {@code io.heartbeat.tools.scale.bench}.
 */
package io.heartbeat.tools.scale;
