/**
 * The I/O side: the NetServer verticle and the state of each socket it owns.
 *
 * <p>Everything here runs on the event loop of the verticle instance that accepted the socket;
 * nothing is shared between instances, so nothing is locked.
 */
package io.heartbeat.server;
