/**
 * Clustered start-up and cross-node routing: a node claims a unique number
 * ({@link io.heartbeat.cluster.NodeNumbers}), follows the live monitors through announces and
 * Hazelcast membership ({@link io.heartbeat.cluster.ClusterVerticle},
 * {@link io.heartbeat.cluster.Membership}), and assigns every connection to one monitor by
 * rendezvous hashing ({@link io.heartbeat.cluster.MonitorView}). The I/O instances route
 * activity with {@link io.heartbeat.cluster.ClusterActivityRouter}; each monitor keeps its
 * share with {@link io.heartbeat.cluster.ClusterMonitorScope}. The assignment and membership
 * rules are pure and tested without a cluster.
 */
package io.heartbeat.cluster;
