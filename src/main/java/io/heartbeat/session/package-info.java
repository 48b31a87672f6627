/**
 * The self-contained parts of protocol 1.1 sessions (HELLO / WELCOME), wired in by the
 * connection core: {@link io.heartbeat.session.IntervalGrant} (the interval a HELLO is granted
 * and the limit it is judged by), {@link io.heartbeat.session.FlapGuard} (refuses a client id
 * that reconnects too often) and {@link io.heartbeat.session.TokenVerifier} (checks a HELLO's
 * JWT off the event loops). The first two are pure: no Vert.x, no clock, time is an argument.
 */
package io.heartbeat.session;
