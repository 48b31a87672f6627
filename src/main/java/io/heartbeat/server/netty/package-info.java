/**
 * The lean edge (ioEdge = LEAN) and the one place that uses Netty channel types and Vert.x's
 * internal API ({@code io.vertx.core.internal}): a Netty listener of our own that hands accepted
 * channels to the I/O instances' event loops, and the kernel keepalive timings that Vert.x 5.0
 * cannot set through its public API (both edges use them). Nothing else in the service imports
 * either; when Vert.x grows public setters for the timings, only this package changes.
 */
package io.heartbeat.server.netty;
