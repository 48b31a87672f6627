/*
 * hbclient - the example client: connects, heartbeats, reconnects with backoff, and prints one
 * line per event on stdout, a monotonic millisecond timestamp first. With --connections N it
 * holds N connections from one poll loop instead (one hb_client each) and prints a summary.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "hb_posix.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define RX_BYTES 65536u
#define TX_BYTES 8192u

typedef struct options {
  const char *host;
  int port;
  const char *client_id;
  const char *token;
  uint32_t interval_ms;
  uint32_t server_timeout_ms;
  int big_endian;
  long count;
  uint32_t data_every_ms;
  uint32_t reconnect_initial_ms;
  uint32_t reconnect_max_ms;
  uint32_t connect_timeout_ms;
  hb_keepalive keepalive;
  long connections;
  long duration_s;
  uint32_t seed;
} options;

static const char *USAGE =
    "usage: hbclient --host H --port P [--client-id ID] [--interval-ms I] [--token T] [--be]\n"
    "                [--server-timeout-ms T] [--count N] [--data-every-ms D]\n"
    "                [--reconnect-initial-ms B] [--reconnect-max-ms M] [--connect-timeout-ms C]\n"
    "                [--keepalive S,I,N] [--seed R] [--connections N --duration-s S]\n";

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig) {
  (void)sig;
  stop_requested = 1;
}

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void out(const char *fmt, ...) {
  va_list ap;
  printf("%llu ", (unsigned long long)hb_posix_now_ms64());
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  putchar('\n');
  fflush(stdout);
}

static int number(const char *name, const char *text, long min, long max, long *value) {
  char *end;
  long v;
  errno = 0;
  v = strtol(text, &end, 10);
  if (errno || *end || end == text || v < min || v > max) {
    fprintf(stderr, "hbclient: %s must be an integer in %ld..%ld, was \"%s\"\n", name, min, max,
            text);
    return -1;
  }
  *value = v;
  return 0;
}

static int parse(int argc, char **argv, options *o) {
  int i;
  memset(o, 0, sizeof *o);
  o->interval_ms = 3000;
  o->reconnect_initial_ms = 100;
  o->reconnect_max_ms = 30000;
  o->connect_timeout_ms = 5000;
  o->seed = (uint32_t)hb_posix_now_ms64() ^ (uint32_t)getpid();
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    long n = 0;
    if (strcmp(a, "--be") == 0) {
      o->big_endian = 1;
      continue;
    }
    if (v == NULL) {
      fprintf(stderr, "hbclient: %s needs a value\n%s", a, USAGE);
      return -1;
    }
    i++;
    if (strcmp(a, "--host") == 0) {
      o->host = v;
    } else if (strcmp(a, "--client-id") == 0) {
      o->client_id = v;
    } else if (strcmp(a, "--token") == 0) {
      o->token = v;
    } else if (strcmp(a, "--keepalive") == 0) {
      if (sscanf(v, "%d,%d,%d", &o->keepalive.idle_s, &o->keepalive.interval_s,
                 &o->keepalive.count) != 3 || o->keepalive.idle_s < 1
          || o->keepalive.interval_s < 1 || o->keepalive.count < 1) {
        fprintf(stderr, "hbclient: --keepalive must be IDLE_S,INTERVAL_S,COUNT (each >= 1),"
                        " was \"%s\"\n", v);
        return -1;
      }
    } else {
      static const struct { const char *name; long min, max; } nums[] = {
          {"--port", 1, 65535}, {"--interval-ms", 0, 0x7fffffff},
          {"--server-timeout-ms", 0, 0x7fffffff}, {"--count", 0, 0x7fffffff},
          {"--data-every-ms", 0, 0x7fffffff}, {"--reconnect-initial-ms", 1, 0x7fffffff},
          {"--reconnect-max-ms", 1, 0x7fffffff}, {"--connect-timeout-ms", 1, 0x7fffffff},
          {"--connections", 1, 100000}, {"--duration-s", 1, 86400},
          {"--seed", 0, 0x7fffffff}};
      size_t k;
      for (k = 0; k < sizeof nums / sizeof nums[0]; k++) {
        if (strcmp(a, nums[k].name) == 0) {
          break;
        }
      }
      if (k == sizeof nums / sizeof nums[0]) {
        fprintf(stderr, "hbclient: unknown option %s\n%s", a, USAGE);
        return -1;
      }
      if (number(a, v, nums[k].min, nums[k].max, &n) < 0) {
        return -1;
      }
      switch (k) {
        case 0: o->port = (int)n; break;
        case 1: o->interval_ms = (uint32_t)n; break;
        case 2: o->server_timeout_ms = (uint32_t)n; break;
        case 3: o->count = n; break;
        case 4: o->data_every_ms = (uint32_t)n; break;
        case 5: o->reconnect_initial_ms = (uint32_t)n; break;
        case 6: o->reconnect_max_ms = (uint32_t)n; break;
        case 7: o->connect_timeout_ms = (uint32_t)n; break;
        case 8: o->connections = n; break;
        case 9: o->duration_s = n; break;
        default: o->seed = (uint32_t)n; break;
      }
    }
  }
  if (o->host == NULL || o->port == 0) {
    fprintf(stderr, "hbclient: --host and --port are required\n%s", USAGE);
    return -1;
  }
  if (o->client_id == NULL && o->interval_ms == 0) {
    fprintf(stderr, "hbclient: --interval-ms 0 (the server's tick) needs --client-id\n");
    return -1;
  }
  if (o->connections && o->duration_s == 0) {
    fprintf(stderr, "hbclient: --connections needs --duration-s\n");
    return -1;
  }
  return 0;
}

static uint32_t xorshift(void *ctx) {
  uint32_t *s = ctx;
  uint32_t x = *s ? *s : 0x9e3779b9u;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *s = x;
  return x;
}

static int configure(hb_client *c, const options *o, uint8_t *rx, uint32_t rx_cap, uint8_t *tx,
                     uint32_t tx_cap, hb_event_fn on_event, void *user) {
  hb_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.interval_ms = o->interval_ms;
  cfg.server_timeout_ms = o->server_timeout_ms;
  cfg.byte_order = o->big_endian ? HB_BIG_ENDIAN : HB_LITTLE_ENDIAN;
  cfg.client_id = o->client_id;
  cfg.client_id_len = (uint16_t)(o->client_id ? strlen(o->client_id) : 0);
  cfg.token = o->token;
  cfg.token_len = (uint16_t)(o->token ? strlen(o->token) : 0);
  cfg.rx_buf = rx;
  cfg.rx_cap = rx_cap;
  cfg.tx_buf = tx;
  cfg.tx_cap = tx_cap;
  cfg.clock = hb_posix_clock;
  cfg.on_event = on_event;
  cfg.user = user;
  if (hb_client_init(c, &cfg) != HB_OK) {
    fprintf(stderr, "hbclient: settings refused (client id 1..%d bytes without control"
                    " characters, token up to %d bytes)\n", HB_MAX_CLIENT_ID_BYTES,
            HB_MAX_TOKEN_BYTES);
    return -1;
  }
  return 0;
}

/* ---- one connection, every event printed ---- */

typedef struct single {
  long acks;
  int stop; /* the server's GOODBYE said not to come back */
  char reason[64];
} single;

/*
 * GOODBYE reasons after which coming back would be wrong: kicked (the application said go),
 * replaced (another process holds this client id: two would take it from each other for ever),
 * unauthorized (the same credential would be refused again). The Java client stops on the same.
 */
static int stops_client(const char *reason) {
  return strcmp(reason, "kicked") == 0 || strcmp(reason, "replaced") == 0
      || strcmp(reason, "unauthorized") == 0;
}

static const char *reason_name(int reason) {
  switch (reason) {
    case HB_REASON_GOODBYE: return "goodbye";
    case HB_REASON_SERVER_TIMEOUT: return "server-timeout";
    case HB_REASON_PEER_CLOSED: return "peer-closed";
    case HB_REASON_IO_ERROR: return "io-error";
    case HB_REASON_PROTOCOL: return "protocol-error";
    default: return "local";
  }
}

static void single_event(void *user, const hb_event *ev) {
  single *s = user;
  switch (ev->type) {
    case HB_EV_CONNECTED: out("connected"); break;
    case HB_EV_WELCOME:
      out("welcome interval_ms=%u close_after_ms=%u", ev->interval_ms, ev->close_after_ms);
      break;
    case HB_EV_HEARTBEAT_SENT: out("sent heartbeat"); break;
    case HB_EV_ACK: s->acks++; out("ack"); break;
    case HB_EV_DATA: out("data len=%u", ev->length); break;
    case HB_EV_PROBE: out("probe"); break;
    case HB_EV_GOODBYE: {
      int n = (int)(ev->length < sizeof s->reason - 1 ? ev->length : sizeof s->reason - 1);
      memcpy(s->reason, ev->payload, (size_t)n);
      s->reason[n] = 0;
      s->stop = stops_client(s->reason);
      out("goodbye reason=%s", s->reason);
      break;
    }
    case HB_EV_SERVER_TIMEOUT: out("server-timeout"); break;
    case HB_EV_DISCONNECTED:
      fprintf(stderr, "hbclient: disconnected: %s\n", reason_name(ev->reason));
      out("disconnected");
      break;
    default: break;
  }
}

static int run_single(const options *o) {
  static uint8_t rx[RX_BYTES], tx[TX_BYTES];
  static const char payload[] = "hbclient-data";
  hb_client c;
  single s;
  uint32_t seed = o->seed;
  hb_backoff backoff;
  memset(&s, 0, sizeof s);
  if (configure(&c, o, rx, sizeof rx, tx, sizeof tx, single_event, &s) < 0) {
    return 2;
  }
  backoff.initial_ms = o->reconnect_initial_ms;
  backoff.max_ms = o->reconnect_max_ms;
  backoff.attempts = 0;
  backoff.random = xorshift;
  backoff.random_ctx = &seed;
  while (!stop_requested) {
    int fd = hb_posix_connect(o->host, o->port, o->connect_timeout_ms, &o->keepalive);
    uint32_t delay;
    if (fd >= 0) {
      uint32_t last_data = hb_posix_clock(NULL);
      hb_backoff_reset(&backoff);
      hb_client_start(&c, hb_posix_transport(&fd), hb_posix_clock(NULL));
      while (!stop_requested && hb_client_state(&c) != HB_STATE_IDLE) {
        struct pollfd p;
        uint32_t now = hb_posix_clock(NULL);
        uint32_t wait = hb_client_next_ms(&c, now);
        if (o->data_every_ms && hb_client_state(&c) == HB_STATE_CONNECTED) {
          int32_t left = (int32_t)(last_data + o->data_every_ms - now);
          uint32_t data_wait = left <= 0 ? 0 : (uint32_t)left;
          wait = data_wait < wait ? data_wait : wait;
        }
        p.fd = fd;
        p.events = POLLIN;
        p.revents = 0;
        poll(&p, 1, wait > 60000 ? 60000 : (int)wait);
        now = hb_posix_clock(NULL);
        hb_client_process(&c, now);
        if (o->data_every_ms && hb_client_state(&c) == HB_STATE_CONNECTED
            && hb_time_reached(now, last_data + o->data_every_ms)) {
          last_data = now;
          if (hb_client_send_data(&c, (const uint8_t *)payload, sizeof payload - 1) == HB_OK) {
            out("sent data len=%u", (unsigned)(sizeof payload - 1));
          }
        }
        if (o->count && s.acks >= o->count && hb_client_state(&c) != HB_STATE_IDLE) {
          hb_client_goodbye(&c, "closed", 6);
          close(fd);
          return 0;
        }
      }
      if (hb_client_state(&c) != HB_STATE_IDLE) {
        hb_client_goodbye(&c, "closed", 6);
      }
      close(fd);
      if (s.stop || stop_requested) {
        return 0;
      }
    } else {
      fprintf(stderr, "hbclient: connect to %s:%d failed: %s\n", o->host, o->port,
              strerror(errno));
    }
    delay = hb_backoff_next_ms(&backoff);
    out("reconnect in ms=%u", delay);
    poll(NULL, 0, (int)delay);
  }
  return 0;
}

/* ---- many connections from one poll loop ---- */

typedef struct swarm_conn {
  hb_client c;
  int fd;
  long index;
  struct swarm_stats *stats;
  uint8_t rx[64];
  uint8_t tx[64];
} swarm_conn;

typedef struct swarm_stats {
  long acks, heartbeats, probes, data, closes;
} swarm_stats;

static void swarm_event(void *user, const hb_event *ev) {
  swarm_conn *sc = user;
  switch (ev->type) {
    case HB_EV_ACK: sc->stats->acks++; break;
    case HB_EV_HEARTBEAT_SENT: sc->stats->heartbeats++; break;
    case HB_EV_PROBE: sc->stats->probes++; break;
    case HB_EV_DATA: sc->stats->data++; break;
    case HB_EV_DISCONNECTED:
      if (ev->reason == HB_REASON_LOCAL) {
        break; /* our own GOODBYE at the end of the run */
      }
      sc->stats->closes++;
      fprintf(stderr, "hbclient: connection %ld closed: %s\n", sc->index,
              reason_name(ev->reason));
      break;
    default: break;
  }
}

static int open_conn(swarm_conn *sc, const options *o) {
  sc->fd = hb_posix_connect(o->host, o->port, o->connect_timeout_ms, &o->keepalive);
  if (sc->fd < 0) {
    return -1;
  }
  hb_client_start(&sc->c, hb_posix_transport(&sc->fd), hb_posix_clock(NULL));
  return 0;
}

static int run_swarm(const options *o) {
  long n = o->connections, i, open = 0, failed_connects = 0;
  swarm_conn *conns = calloc((size_t)n, sizeof *conns);
  struct pollfd *fds = calloc((size_t)n, sizeof *fds);
  swarm_stats stats;
  uint64_t start, end, next_status;
  struct rlimit rl;
  memset(&stats, 0, sizeof stats);
  if (conns == NULL || fds == NULL) {
    fprintf(stderr, "hbclient: out of memory for %ld connections\n", n);
    return 2;
  }
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)n + 16) {
    rl.rlim_cur = rl.rlim_max < (rlim_t)n + 16 ? rl.rlim_max : (rlim_t)n + 16;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  for (i = 0; i < n; i++) {
    swarm_conn *sc = &conns[i];
    sc->stats = &stats;
    sc->index = i;
    sc->fd = -1;
    if (configure(&sc->c, o, sc->rx, sizeof sc->rx, sc->tx, sizeof sc->tx, swarm_event, sc) < 0) {
      return 2;
    }
    if (open_conn(sc, o) < 0) {
      fprintf(stderr, "hbclient: connection %ld: connect failed: %s\n", i, strerror(errno));
      failed_connects++;
    } else {
      open++;
    }
  }
  start = hb_posix_now_ms64();
  end = start + (uint64_t)o->duration_s * 1000u;
  next_status = start;
  out("swarm connections=%ld open=%ld failed_connects=%ld bytes_per_client=%zu", n, open,
      failed_connects, sizeof(hb_client));
  while (!stop_requested) {
    uint64_t now64 = hb_posix_now_ms64();
    uint32_t wait = 1000;
    if (now64 >= next_status) {
      long live = 0;
      for (i = 0; i < n; i++) {
        live += hb_client_state(&conns[i].c) != HB_STATE_IDLE;
      }
      out("swarm open=%ld acks=%ld heartbeats=%ld probes=%ld unexpected_closes=%ld", live,
          stats.acks, stats.heartbeats, stats.probes, stats.closes);
      next_status += 10000;
    }
    if (now64 >= end) {
      break;
    }
    for (i = 0; i < n; i++) {
      uint32_t w = hb_client_next_ms(&conns[i].c, (uint32_t)now64);
      wait = w < wait ? w : wait;
      fds[i].fd = hb_client_state(&conns[i].c) != HB_STATE_IDLE ? conns[i].fd : -1;
      fds[i].events = POLLIN;
      fds[i].revents = 0;
    }
    poll(fds, (nfds_t)n, (int)wait);
    for (i = 0; i < n; i++) {
      swarm_conn *sc = &conns[i];
      if (hb_client_state(&sc->c) == HB_STATE_IDLE) {
        continue;
      }
      hb_client_process(&sc->c, hb_posix_clock(NULL));
      if (hb_client_state(&sc->c) == HB_STATE_IDLE) {
        close(sc->fd);
        sc->fd = -1;
        /* Keep holding the count: an unexpected close is counted, then the slot reconnects. */
        if (open_conn(sc, o) < 0) {
          failed_connects++;
        }
      }
    }
  }
  {
    long live = 0;
    for (i = 0; i < n; i++) {
      if (hb_client_state(&conns[i].c) != HB_STATE_IDLE) {
        live++;
        hb_client_goodbye(&conns[i].c, "closed", 6);
      }
      if (conns[i].fd >= 0) {
        close(conns[i].fd);
      }
    }
    out("swarm done connections=%ld open_at_end=%ld seconds=%ld acks=%ld heartbeats=%ld"
        " failed_connects=%ld unexpected_closes=%ld", n, live,
        (long)((hb_posix_now_ms64() - start) / 1000), stats.acks, stats.heartbeats,
        failed_connects, stats.closes);
    free(conns);
    free(fds);
    return stats.closes == 0 && failed_connects == 0 && live == n ? 0 : 1;
  }
}

int main(int argc, char **argv) {
  options o;
  struct sigaction sa;
  if (parse(argc, argv, &o) < 0) {
    return 2;
  }
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  return o.connections ? run_swarm(&o) : run_single(&o);
}
