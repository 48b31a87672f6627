/*
 * hb_posix.h - a POSIX socket transport for hb_client, a monotonic clock, and a reconnect
 * backoff with exponential bounds and full jitter (randomness injected).
 */
#ifndef HB_POSIX_H
#define HB_POSIX_H

#include "hb_client.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Kernel TCP keepalive; idle_s 0 leaves it off. */
typedef struct hb_keepalive {
  int idle_s;      /* seconds idle before the first probe */
  int interval_s;  /* seconds between unanswered probes */
  int count;       /* unanswered probes before the kernel drops the connection */
} hb_keepalive;

/*
 * Connects to host:port within timeout_ms; the socket is non-blocking with TCP_NODELAY (and
 * keepalive when ka is not NULL and ka->idle_s > 0). Returns the descriptor, or -1 with errno
 * set (ETIMEDOUT when the time ran out, EINVAL for a host that does not resolve).
 */
int hb_posix_connect(const char *host, int port, uint32_t timeout_ms, const hb_keepalive *ka);

/* A transport over descriptor fd; ctx points at storage that must outlive the transport. */
hb_transport hb_posix_transport(int *fd);

/* CLOCK_MONOTONIC in ms, as a full 64-bit count and as the core's wrapping uint32. */
uint64_t hb_posix_now_ms64(void);
uint32_t hb_posix_clock(void *unused);

/*
 * Reconnect delays: attempt n (0-based) waits a uniformly random time in [0, bound(n)],
 * bound(n) = min(max_ms, initial_ms * 2^n) ("full jitter"). random returns a uniform
 * 32-bit value; tests inject their own.
 */
typedef struct hb_backoff {
  uint32_t initial_ms;
  uint32_t max_ms;
  uint32_t attempts;
  uint32_t (*random)(void *ctx);
  void *random_ctx;
} hb_backoff;

/* The bound of the next attempt's delay. */
uint32_t hb_backoff_bound_ms(const hb_backoff *b);

/* The next delay (drawn within the bound) and counts the attempt. */
uint32_t hb_backoff_next_ms(hb_backoff *b);

/* After a successful connection: the next delay starts from initial_ms again. */
void hb_backoff_reset(hb_backoff *b);

#ifdef __cplusplus
}
#endif

#endif
