/**
 * Session takeover benchmark (issue 11): how soon the replaced connection gets GOODBYE
 * {@code replaced} and EOF after the new connection's WELCOME, on one node and across two
 * clustered nodes, plus the presence events seen meanwhile. A tool, compiled with the tests
 * and never packaged into the service's jar; run it with {@code scripts/takeover-bench}.
 */
package io.heartbeat.tools.takeover;
