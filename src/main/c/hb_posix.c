/* hb_posix.c - POSIX sockets, monotonic clock and reconnect backoff for hb_client. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "hb_posix.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

static int set_options(int fd, const hb_keepalive *ka) {
  int one = 1;
  int flags = fcntl(fd, F_GETFL, 0);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
    return -1;
  }
  if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0) {
    return -1;
  }
  if (ka && ka->idle_s > 0) {
    if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one) < 0) {
      return -1;
    }
#ifdef TCP_KEEPIDLE
    if (setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &ka->idle_s, sizeof ka->idle_s) < 0
        || (ka->interval_s > 0 && setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &ka->interval_s,
                                             sizeof ka->interval_s) < 0)
        || (ka->count > 0
            && setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &ka->count, sizeof ka->count) < 0)) {
      return -1;
    }
#endif
  }
  return 0;
}

/* Waits for a non-blocking connect; 0 when connected, else -1 with errno. */
static int finish_connect(int fd, uint32_t timeout_ms) {
  uint64_t deadline = hb_posix_now_ms64() + timeout_ms;
  for (;;) {
    struct pollfd p;
    int err = 0;
    socklen_t len = sizeof err;
    uint64_t now = hb_posix_now_ms64();
    int rc;
    if (now >= deadline) {
      errno = ETIMEDOUT;
      return -1;
    }
    p.fd = fd;
    p.events = POLLOUT;
    p.revents = 0;
    rc = poll(&p, 1, (int)(deadline - now));
    if (rc < 0 && errno == EINTR) {
      continue;
    }
    if (rc < 0) {
      return -1;
    }
    if (rc == 0) {
      continue;
    }
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) {
      return -1;
    }
    if (err) {
      errno = err;
      return -1;
    }
    return 0;
  }
}

int hb_posix_connect(const char *host, int port, uint32_t timeout_ms, const hb_keepalive *ka) {
  struct addrinfo hints, *list = NULL, *a;
  char service[16];
  int last_errno = ECONNREFUSED;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  snprintf(service, sizeof service, "%d", port);
  if (getaddrinfo(host, service, &hints, &list) != 0) {
    errno = EINVAL;
    return -1;
  }
  for (a = list; a; a = a->ai_next) {
    int fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd < 0) {
      last_errno = errno;
      continue;
    }
    if (set_options(fd, ka) == 0
        && (connect(fd, a->ai_addr, a->ai_addrlen) == 0
            || (errno == EINPROGRESS && finish_connect(fd, timeout_ms) == 0))) {
      freeaddrinfo(list);
      return fd;
    }
    last_errno = errno;
    close(fd);
  }
  freeaddrinfo(list);
  errno = last_errno;
  return -1;
}

static int posix_send(void *ctx, const uint8_t *buf, size_t len) {
  int fd = *(int *)ctx;
  for (;;) {
    ssize_t n = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) {
      return (int)n;
    }
    if (errno == EINTR) {
      continue;
    }
    return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : HB_IO_ERROR;
  }
}

static int posix_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms) {
  int fd = *(int *)ctx;
  if (timeout_ms) {
    struct pollfd p;
    int rc;
    p.fd = fd;
    p.events = POLLIN;
    p.revents = 0;
    rc = poll(&p, 1, timeout_ms > 0x7fffffffu ? -1 : (int)timeout_ms);
    if (rc == 0 || (rc < 0 && errno == EINTR)) {
      return 0;
    }
    if (rc < 0) {
      return HB_IO_ERROR;
    }
  }
  for (;;) {
    ssize_t n = recv(fd, buf, len, MSG_DONTWAIT);
    if (n > 0) {
      return (int)n;
    }
    if (n == 0) {
      return HB_IO_CLOSED;
    }
    if (errno == EINTR) {
      continue;
    }
    return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : HB_IO_ERROR;
  }
}

hb_transport hb_posix_transport(int *fd) {
  hb_transport t;
  t.send = posix_send;
  t.recv = posix_recv;
  t.ctx = fd;
  return t;
}

uint64_t hb_posix_now_ms64(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint32_t hb_posix_clock(void *unused) {
  (void)unused;
  return (uint32_t)hb_posix_now_ms64();
}

uint32_t hb_backoff_bound_ms(const hb_backoff *b) {
  uint64_t bound = b->initial_ms;
  uint32_t i;
  for (i = 0; i < b->attempts && bound < b->max_ms; i++) {
    bound *= 2;
  }
  return bound > b->max_ms ? b->max_ms : (uint32_t)bound;
}

uint32_t hb_backoff_next_ms(hb_backoff *b) {
  uint32_t bound = hb_backoff_bound_ms(b);
  uint64_t r = b->random(b->random_ctx);
  if (b->attempts < UINT32_MAX) {
    b->attempts++;
  }
  /* r / 2^32 in [0, 1) scaled to [0, bound]: multiply by bound + 1, keep the top 32 bits. */
  return (uint32_t)((r * ((uint64_t)bound + 1)) >> 32);
}

void hb_backoff_reset(hb_backoff *b) {
  b->attempts = 0;
}
