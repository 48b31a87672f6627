/**
 * The wire protocol (version 1) as a pure codec: no sockets, no timers, no Vert.x I/O.
 *
 * <p>A connection carries frames back to back. Each frame is an 8-byte header and a payload:
 * <pre>
 *  offset  0        4        8                8 + length
 *          +--------+--------+----------------+
 *          |  type  | length |    payload     |
 *          +--------+--------+----------------+
 *           int32    int32    length bytes (opaque)
 * </pre>
 * Both integers are signed 32-bit, in the configured byte order ({@code LITTLE_ENDIAN} by
 * default, so a C client sending {@code struct PACKET_HEAD { int type; int length; }} from
 * x86-64 or ARM works unchanged). Types are listed in {@link io.heartbeat.protocol.FrameType}.
 *
 * <p>A header is illegal when its type is unknown, its length negative, or its length above the
 * configured maximum payload. {@link io.heartbeat.protocol.FrameDecoder} checks the header
 * <em>before</em> it buffers a single payload byte, so a declared length can never make it
 * allocate more than the maximum.
 */
package io.heartbeat.protocol;
