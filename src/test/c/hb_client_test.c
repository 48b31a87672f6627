/*
 * Unit tests of the hb_client core against a fake transport and a fake clock, and of the
 * backoff and the POSIX transport (over a socketpair). Prints "N passed, N failed"; exits 1
 * when any test failed. "--sizeof" prints sizeof(hb_client) instead.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "hb_client.h"
#include "hb_posix.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- a tiny runner ---- */

static int failures_in_test;

#define CHECK(cond)                                                          \
  do {                                                                       \
    if (!(cond)) {                                                           \
      printf("  FAILED %s:%d: %s\n", __FILE__, __LINE__, #cond);             \
      failures_in_test++;                                                    \
    }                                                                        \
  } while (0)

#define CHECK_EQ(a, b)                                                       \
  do {                                                                       \
    long long a_ = (long long)(a), b_ = (long long)(b);                      \
    if (a_ != b_) {                                                          \
      printf("  FAILED %s:%d: %s == %s (%lld != %lld)\n", __FILE__, __LINE__, \
             #a, #b, a_, b_);                                                \
      failures_in_test++;                                                    \
    }                                                                        \
  } while (0)

/* ---- fake transport and clock ---- */

#define FAKE_BYTES 4096
#define MAX_EVENTS 64

typedef struct fake {
  uint8_t in[FAKE_BYTES]; /* bytes the "server" sent, not yet read */
  size_t in_len, in_off;
  size_t chunk;          /* most bytes one recv returns; 0 = no limit */
  int in_closed;         /* after in[] is drained: HB_IO_CLOSED */
  int recv_error;        /* recv returns HB_IO_ERROR */
  uint8_t out[FAKE_BYTES]; /* bytes the client sent */
  size_t out_len;
  size_t send_chunk;     /* most bytes one send takes; 0 = no limit */
  int send_blocked;      /* send takes nothing */
  int block_after;       /* > 0: sends accepted before send_blocked is set */
  int send_error;
  uint32_t now;
  hb_event events[MAX_EVENTS];
  uint8_t payloads[MAX_EVENTS][64];
  int event_count;
} fake;

static int fake_send(void *ctx, const uint8_t *buf, size_t len) {
  fake *f = ctx;
  if (f->send_error) {
    return HB_IO_ERROR;
  }
  if (f->send_blocked) {
    return 0;
  }
  if (f->send_chunk && len > f->send_chunk) {
    len = f->send_chunk;
  }
  memcpy(f->out + f->out_len, buf, len);
  f->out_len += len;
  if (f->block_after && --f->block_after == 0) {
    f->send_blocked = 1;
  }
  return (int)len;
}

static int fake_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms) {
  fake *f = ctx;
  size_t left = f->in_len - f->in_off;
  (void)timeout_ms;
  if (f->recv_error) {
    return HB_IO_ERROR;
  }
  if (left == 0) {
    return f->in_closed ? HB_IO_CLOSED : 0;
  }
  if (len > left) {
    len = left;
  }
  if (f->chunk && len > f->chunk) {
    len = f->chunk;
  }
  memcpy(buf, f->in + f->in_off, len);
  f->in_off += len;
  return (int)len;
}

static uint32_t fake_clock(void *user) {
  return ((fake *)user)->now;
}

static void fake_event(void *user, const hb_event *ev) {
  fake *f = user;
  if (f->event_count < MAX_EVENTS) {
    f->events[f->event_count] = *ev;
    if (ev->payload && ev->length <= 64) {
      memcpy(f->payloads[f->event_count], ev->payload, ev->length);
    }
    f->event_count++;
  }
}

static hb_transport fake_io(fake *f) {
  hb_transport t;
  t.send = fake_send;
  t.recv = fake_recv;
  t.ctx = f;
  return t;
}

static void put32(uint8_t *p, uint32_t v, int be) {
  int i;
  for (i = 0; i < 4; i++) {
    p[be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
  }
}

static uint32_t get32(const uint8_t *p, int be) {
  uint32_t v = 0;
  int i;
  for (i = 0; i < 4; i++) {
    v |= (uint32_t)p[be ? 3 - i : i] << (8 * i);
  }
  return v;
}

/* Appends a frame to what the server "sent". */
static void server_frame(fake *f, int32_t type, int32_t len, const void *payload, int be) {
  put32(f->in + f->in_len, (uint32_t)type, be);
  put32(f->in + f->in_len + 4, (uint32_t)len, be);
  f->in_len += 8;
  if (payload && len > 0) {
    memcpy(f->in + f->in_len, payload, (size_t)len);
    f->in_len += (size_t)len;
  }
}

static void server_welcome(fake *f, uint32_t interval, uint32_t close_after, uint32_t tick,
                           uint64_t id, int be) {
  uint8_t p[HB_WELCOME_BYTES];
  put32(p, interval, be);
  put32(p + 4, close_after, be);
  put32(p + 8, tick, be);
  put32(p + 12, be ? (uint32_t)(id >> 32) : (uint32_t)id, be);
  put32(p + 16, be ? (uint32_t)id : (uint32_t)(id >> 32), be);
  server_frame(f, HB_WELCOME, HB_WELCOME_BYTES, p, be);
}

static uint8_t rx_buf[256];
static uint8_t tx_buf[256];

static hb_config base_config(fake *f) {
  hb_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.interval_ms = 1000;
  cfg.server_timeout_ms = 5000;
  cfg.rx_buf = rx_buf;
  cfg.rx_cap = sizeof rx_buf;
  cfg.tx_buf = tx_buf;
  cfg.tx_cap = sizeof tx_buf;
  cfg.clock = fake_clock;
  cfg.on_event = fake_event;
  cfg.user = f;
  return cfg;
}

/* A version 1 client, started at f->now. */
static void start_v1(hb_client *c, fake *f, int be) {
  hb_config cfg = base_config(f);
  cfg.byte_order = be ? HB_BIG_ENDIAN : HB_LITTLE_ENDIAN;
  CHECK_EQ(hb_client_init(c, &cfg), HB_OK);
  CHECK_EQ(hb_client_start(c, fake_io(f), f->now), HB_OK);
}

static int count_events(const fake *f, int type) {
  int i, n = 0;
  for (i = 0; i < f->event_count; i++) {
    n += f->events[i].type == type;
  }
  return n;
}

static const hb_event *last_event(const fake *f) {
  return f->event_count ? &f->events[f->event_count - 1] : NULL;
}

/* Checks the frame at out[off]: type, length, payload; returns the offset after it. */
static size_t expect_frame(const fake *f, size_t off, int32_t type, const void *payload,
                           uint32_t len, int be) {
  CHECK(f->out_len >= off + 8 + len);
  if (f->out_len < off + 8 + len) {
    return f->out_len;
  }
  CHECK_EQ((int32_t)get32(f->out + off, be), type);
  CHECK_EQ(get32(f->out + off + 4, be), len);
  if (len) {
    CHECK(memcmp(f->out + off + 8, payload, len) == 0);
  }
  return off + 8 + len;
}

static void expect_disconnected(hb_client *c, const fake *f, int reason) {
  CHECK_EQ(hb_client_state(c), HB_STATE_IDLE);
  CHECK(last_event(f) != NULL);
  if (last_event(f)) {
    CHECK_EQ(last_event(f)->type, HB_EV_DISCONNECTED);
    CHECK_EQ(last_event(f)->reason, reason);
  }
}

/* ---- tests ---- */

static void init_refuses_bad_settings(void) {
  fake f;
  hb_client c;
  hb_config cfg;
  static const char bad_id[] = {'a', 0x01, 'b'};
  memset(&f, 0, sizeof f);
  cfg = base_config(&f);
  CHECK_EQ(hb_client_init(&c, &cfg), HB_OK);
  CHECK_EQ(hb_client_init(NULL, &cfg), HB_ERR_ARG);
  cfg.interval_ms = 0;
  CHECK_EQ(hb_client_init(&c, &cfg), HB_ERR_ARG);          /* v1 needs an interval */
  cfg = base_config(&f);
  cfg.tx_cap = 7;
  CHECK_EQ(hb_client_init(&c, &cfg), HB_ERR_ARG);
  cfg = base_config(&f);
  cfg.clock = NULL;
  CHECK_EQ(hb_client_init(&c, &cfg), HB_ERR_ARG);
  cfg = base_config(&f);
  cfg.byte_order = 7;
  CHECK_EQ(hb_client_init(&c, &cfg), HB_ERR_ARG);
  cfg = base_config(&f);
  cfg.interval_ms = 0x80000000u;
  CHECK_EQ(hb_client_init(&c, &cfg), HB_ERR_ARG);
  cfg = base_config(&f);
  cfg.client_id = "dev";
  cfg.client_id_len = 0;
  CHECK_EQ(hb_client_init(&c, &cfg), HB_ERR_ARG);          /* id 1..128 */
  cfg.client_id_len = 129;
  CHECK_EQ(hb_client_init(&c, &cfg), HB_ERR_ARG);
  cfg.client_id = bad_id;
  cfg.client_id_len = 3;
  CHECK_EQ(hb_client_init(&c, &cfg), HB_ERR_ARG);          /* control character */
  cfg.client_id = "dev";
  cfg.token_len = 5;
  cfg.token = NULL;
  CHECK_EQ(hb_client_init(&c, &cfg), HB_ERR_ARG);
  cfg.token = "t k";
  cfg.token_len = 3;
  CHECK_EQ(hb_client_init(&c, &cfg), HB_ERR_ARG);          /* token: printable ASCII only */
  cfg.token = "t\x7f";
  cfg.token_len = 2;
  CHECK_EQ(hb_client_init(&c, &cfg), HB_ERR_ARG);
  cfg.token = "tok";
  cfg.token_len = 3;
  cfg.tx_cap = 8 + 8 + 3 + 2;                               /* HELLO would not fit */
  CHECK_EQ(hb_client_init(&c, &cfg), HB_ERR_ARG);
  cfg.tx_cap = 8 + 8 + 3 + 3;
  CHECK_EQ(hb_client_init(&c, &cfg), HB_OK);
  cfg.rx_cap = HB_WELCOME_BYTES - 1;                        /* WELCOME would not fit */
  CHECK_EQ(hb_client_init(&c, &cfg), HB_ERR_ARG);
  cfg = base_config(&f);
  cfg.client_id = "dev";
  cfg.client_id_len = 3;
  cfg.interval_ms = 0;                                      /* 1.1: 0 = the server's tick */
  CHECK_EQ(hb_client_init(&c, &cfg), HB_OK);
}

static void start_takes_transport_and_reports_connected(void) {
  fake f;
  hb_client c;
  hb_config cfg;
  memset(&f, 0, sizeof f);
  cfg = base_config(&f);
  CHECK_EQ(hb_client_init(&c, &cfg), HB_OK);
  CHECK_EQ(hb_client_state(&c), HB_STATE_IDLE);
  CHECK_EQ(hb_client_process(&c, 0), HB_STATE_IDLE);        /* idle: nothing happens */
  CHECK_EQ(hb_client_send_data(&c, NULL, 0), HB_ERR_STATE);
  CHECK_EQ(hb_client_goodbye(&c, NULL, 0), HB_ERR_STATE);
  CHECK_EQ(hb_client_next_ms(&c, 0), UINT32_MAX);
  CHECK_EQ(hb_client_start(&c, fake_io(&f), 0), HB_OK);
  CHECK_EQ(hb_client_state(&c), HB_STATE_CONNECTED);
  CHECK_EQ(f.event_count, 1);
  CHECK_EQ(f.events[0].type, HB_EV_CONNECTED);
  CHECK_EQ(f.out_len, 0);                                    /* version 1: no HELLO */
  CHECK_EQ(hb_client_start(&c, fake_io(&f), 0), HB_ERR_STATE);
}

static void heartbeatsOnlyAfterAWholeIntervalWithoutSending_impl(int be) {
  fake f;
  hb_client c;
  static const uint8_t zero[8];
  memset(&f, 0, sizeof f);
  f.now = 10000;
  start_v1(&c, &f, be);
  CHECK_EQ(hb_client_next_ms(&c, 10000), 1000);
  hb_client_process(&c, 10999);
  CHECK_EQ(f.out_len, 0);
  hb_client_process(&c, 11000);
  CHECK_EQ(f.out_len, 8);
  CHECK(memcmp(f.out, zero, 8) == 0);                        /* 8 zero bytes, either order */
  CHECK_EQ(last_event(&f)->type, HB_EV_HEARTBEAT_SENT);
  hb_client_process(&c, 11999);
  CHECK_EQ(f.out_len, 8);
  hb_client_process(&c, 12000);
  CHECK_EQ(f.out_len, 16);
}

static void heartbeats_only_when_idle(void) {
  heartbeatsOnlyAfterAWholeIntervalWithoutSending_impl(0);
  heartbeatsOnlyAfterAWholeIntervalWithoutSending_impl(1);
}

static void data_sent_defers_the_heartbeat(void) {
  fake f;
  hb_client c;
  size_t off;
  memset(&f, 0, sizeof f);
  start_v1(&c, &f, 0);
  f.now = 500;
  CHECK_EQ(hb_client_send_data(&c, (const uint8_t *)"abc", 3), HB_OK);
  off = expect_frame(&f, 0, HB_DATA, "abc", 3, 0);
  hb_client_process(&c, 1000);
  hb_client_process(&c, 1499);
  CHECK_EQ(f.out_len, off);                                  /* no heartbeat: DATA was sent */
  CHECK_EQ(count_events(&f, HB_EV_HEARTBEAT_SENT), 0);
  CHECK_EQ(hb_client_next_ms(&c, 1499), 1);
  hb_client_process(&c, 1500);
  expect_frame(&f, off, HB_HEARTBEAT, NULL, 0, 0);
}

static void received_frames_do_not_defer_the_heartbeat(void) {
  fake f;
  hb_client c;
  memset(&f, 0, sizeof f);
  start_v1(&c, &f, 0);
  server_frame(&f, HB_DATA, 2, "hi", 0);
  hb_client_process(&c, 900);
  CHECK_EQ(f.out_len, 0);
  hb_client_process(&c, 1000);                               /* last sent at 0, not 900 */
  expect_frame(&f, 0, HB_HEARTBEAT, NULL, 0, 0);
}

static void judges_server_dead_after_timeout_of_silence(void) {
  fake f;
  hb_client c;
  memset(&f, 0, sizeof f);
  start_v1(&c, &f, 0);
  server_frame(&f, HB_HEARTBEAT_ACK, 0, NULL, 0);
  hb_client_process(&c, 3000);                               /* received at 3000 */
  CHECK_EQ(hb_client_next_ms(&c, 3000), 1000);               /* the heartbeat is nearer */
  hb_client_process(&c, 7999);                               /* sending does not count */
  CHECK_EQ(hb_client_state(&c), HB_STATE_CONNECTED);
  CHECK_EQ(hb_client_next_ms(&c, 7999), 1);
  hb_client_process(&c, 8000);
  CHECK_EQ(f.events[f.event_count - 2].type, HB_EV_SERVER_TIMEOUT);
  expect_disconnected(&c, &f, HB_REASON_SERVER_TIMEOUT);
  CHECK_EQ(hb_client_process(&c, 9000), HB_STATE_IDLE);
}

static void server_timeout_zero_never_judges(void) {
  fake f;
  hb_client c;
  hb_config cfg;
  memset(&f, 0, sizeof f);
  cfg = base_config(&f);
  cfg.server_timeout_ms = 0;
  CHECK_EQ(hb_client_init(&c, &cfg), HB_OK);
  hb_client_start(&c, fake_io(&f), 0);
  hb_client_process(&c, 2000000000u);
  CHECK_EQ(hb_client_state(&c), HB_STATE_CONNECTED);
  CHECK_EQ(count_events(&f, HB_EV_SERVER_TIMEOUT), 0);
}

static void answers_server_probe_with_ack(void) {
  fake f;
  hb_client c;
  memset(&f, 0, sizeof f);
  start_v1(&c, &f, 1);
  server_frame(&f, HB_HEARTBEAT, 3, "xyz", 1);
  hb_client_process(&c, 200);
  CHECK_EQ(f.events[1].type, HB_EV_PROBE);
  CHECK_EQ(f.events[1].length, 3);
  CHECK(memcmp(f.payloads[1], "xyz", 3) == 0);
  expect_frame(&f, 0, HB_HEARTBEAT_ACK, NULL, 0, 1);
  hb_client_process(&c, 1199);                               /* the ack was a send */
  CHECK_EQ(f.out_len, 8);
  hb_client_process(&c, 1200);
  CHECK_EQ(f.out_len, 16);
}

static void reports_ack_and_data_with_payloads(void) {
  fake f;
  hb_client c;
  memset(&f, 0, sizeof f);
  start_v1(&c, &f, 0);
  server_frame(&f, HB_HEARTBEAT_ACK, 0, NULL, 0);
  server_frame(&f, HB_HEARTBEAT_ACK, 4, "ping", 0);
  server_frame(&f, HB_DATA, 5, "hello", 0);
  server_frame(&f, HB_DATA, 0, NULL, 0);
  hb_client_process(&c, 10);
  CHECK_EQ(f.event_count, 5);
  CHECK_EQ(f.events[1].type, HB_EV_ACK);
  CHECK_EQ(f.events[1].length, 0);
  CHECK_EQ(f.events[2].type, HB_EV_ACK);
  CHECK_EQ(f.events[2].length, 4);
  CHECK(memcmp(f.payloads[2], "ping", 4) == 0);
  CHECK_EQ(f.events[3].type, HB_EV_DATA);
  CHECK_EQ(f.events[3].length, 5);
  CHECK(memcmp(f.payloads[3], "hello", 5) == 0);
  CHECK_EQ(f.events[4].type, HB_EV_DATA);
  CHECK_EQ(f.events[4].length, 0);
  CHECK_EQ(f.out_len, 0);
}

static void server_goodbye_ends_with_its_reason(void) {
  fake f;
  hb_client c;
  memset(&f, 0, sizeof f);
  start_v1(&c, &f, 0);
  server_frame(&f, HB_GOODBYE, 6, "kicked", 0);
  server_frame(&f, HB_DATA, 1, "x", 0);                     /* never read after GOODBYE */
  hb_client_process(&c, 10);
  CHECK_EQ(f.events[1].type, HB_EV_GOODBYE);
  CHECK_EQ(f.events[1].length, 6);
  CHECK(memcmp(f.payloads[1], "kicked", 6) == 0);
  expect_disconnected(&c, &f, HB_REASON_GOODBYE);
  CHECK_EQ(count_events(&f, HB_EV_DATA), 0);
  CHECK_EQ(f.out_len, 0);
}

static void illegal_header(int32_t type, int32_t len, int be) {
  fake f;
  hb_client c;
  memset(&f, 0, sizeof f);
  start_v1(&c, &f, be);
  server_frame(&f, type, len, NULL, be);
  hb_client_process(&c, 10);
  expect_disconnected(&c, &f, HB_REASON_PROTOCOL);
  CHECK_EQ(f.out_len, 0);                                    /* nothing sent back */
}

static void illegal_input_disconnects_without_reply(void) {
  illegal_header(6, 0, 0);
  illegal_header(-1, 0, 0);
  illegal_header(HB_HELLO, 0, 0);                            /* only clients send HELLO */
  illegal_header(HB_WELCOME, HB_WELCOME_BYTES, 0);           /* no HELLO was sent */
  illegal_header(HB_DATA, -1, 0);
  illegal_header(HB_DATA, (int32_t)sizeof rx_buf + 1, 0);    /* above the largest payload */
  illegal_header(HB_DATA, 0x7fffffff, 1);
  illegal_header(0x01000000, 0, 0);                          /* type 1 read in the wrong order */
}

static void largest_payload_is_legal(void) {
  fake f;
  hb_client c;
  static uint8_t big[sizeof rx_buf];
  memset(&f, 0, sizeof f);
  start_v1(&c, &f, 0);
  server_frame(&f, HB_DATA, (int32_t)sizeof big, big, 0);
  hb_client_process(&c, 10);
  CHECK_EQ(hb_client_state(&c), HB_STATE_CONNECTED);
  CHECK_EQ(last_event(&f)->length, sizeof big);
}

/* The same stream fed in every chunk size and split at every byte gives the same events. */
static void stream_events(fake *f, hb_client *c, size_t chunk, size_t split, int be) {
  memset(f, 0, sizeof *f);
  start_v1(c, f, be);
  server_frame(f, HB_HEARTBEAT_ACK, 0, NULL, be);
  server_frame(f, HB_DATA, 7, "payload", be);
  server_frame(f, HB_HEARTBEAT, 0, NULL, be);
  server_frame(f, HB_HEARTBEAT_ACK, 2, "ok", be);
  server_frame(f, HB_GOODBYE, 8, "shutdown", be);
  f->chunk = chunk;
  if (split) {
    size_t all = f->in_len;
    f->in_len = split;
    hb_client_process(c, 5);
    f->in_len = all;
  }
  hb_client_process(c, 10);
}

static void decodes_split_reads_at_every_byte(void) {
  fake ref, f;
  hb_client c;
  size_t k, total;
  int be, i;
  for (be = 0; be < 2; be++) {
    stream_events(&ref, &c, 0, 0, be);
    total = ref.in_len;
    CHECK_EQ(ref.event_count, 7); /* connected ack data probe ack goodbye disconnected */
    for (k = 1; k <= total; k++) {
      int same = 1;
      stream_events(&f, &c, k, 0, be);
      same = f.event_count == ref.event_count && f.out_len == ref.out_len;
      stream_events(&f, &c, 0, k, be);
      same = same && f.event_count == ref.event_count && f.out_len == ref.out_len;
      for (i = 0; same && i < ref.event_count; i++) {
        same = f.events[i].type == ref.events[i].type
            && f.events[i].length == ref.events[i].length
            && memcmp(f.payloads[i], ref.payloads[i], ref.events[i].length) == 0;
      }
      if (!same) {
        printf("  at chunk/split %zu, byte order %d\n", k, be);
      }
      CHECK(same);
    }
  }
}

static void incomplete_frame_is_no_sign_of_life(void) {
  fake f;
  hb_client c;
  memset(&f, 0, sizeof f);
  start_v1(&c, &f, 0);
  server_frame(&f, HB_DATA, 4, "abcd", 0);
  f.in_len -= 1;                                             /* the last byte never comes */
  hb_client_process(&c, 4000);
  CHECK_EQ(count_events(&f, HB_EV_DATA), 0);
  hb_client_process(&c, 5000);                               /* 5000 after start: dead */
  expect_disconnected(&c, &f, HB_REASON_SERVER_TIMEOUT);
}

static void times_wrap_around_2_pow_32(void) {
  fake f;
  hb_client c;
  uint32_t t0 = 0xFFFFFF00u;                                 /* 256 ms before the wrap */
  memset(&f, 0, sizeof f);
  f.now = t0;
  start_v1(&c, &f, 0);
  CHECK_EQ(hb_client_next_ms(&c, t0), 1000);
  hb_client_process(&c, t0 + 999u);                          /* past the wrap: 743 */
  CHECK_EQ(f.out_len, 0);
  hb_client_process(&c, t0 + 1000u);
  CHECK_EQ(f.out_len, 8);
  CHECK_EQ(hb_client_next_ms(&c, t0 + 1000u), 1000);
  hb_client_process(&c, t0 + 4999u);
  CHECK_EQ(hb_client_state(&c), HB_STATE_CONNECTED);
  hb_client_process(&c, t0 + 5000u);
  expect_disconnected(&c, &f, HB_REASON_SERVER_TIMEOUT);
  CHECK(hb_time_reached(5u, 0xFFFFFFF0u));
  CHECK(!hb_time_reached(0xFFFFFFF0u, 5u));
}

static void peer_close_and_errors_end_the_connection(void) {
  fake f;
  hb_client c;
  memset(&f, 0, sizeof f);
  start_v1(&c, &f, 0);
  server_frame(&f, HB_HEARTBEAT_ACK, 0, NULL, 0);
  f.in_closed = 1;
  hb_client_process(&c, 10);
  CHECK_EQ(count_events(&f, HB_EV_ACK), 1);
  expect_disconnected(&c, &f, HB_REASON_PEER_CLOSED);

  memset(&f, 0, sizeof f);
  start_v1(&c, &f, 0);
  f.recv_error = 1;
  hb_client_process(&c, 10);
  expect_disconnected(&c, &f, HB_REASON_IO_ERROR);

  memset(&f, 0, sizeof f);
  start_v1(&c, &f, 0);
  f.send_error = 1;
  hb_client_process(&c, 1000);
  expect_disconnected(&c, &f, HB_REASON_IO_ERROR);
  CHECK_EQ(count_events(&f, HB_EV_HEARTBEAT_SENT), 0);

  memset(&f, 0, sizeof f);
  start_v1(&c, &f, 0);
  f.send_error = 1;
  CHECK_EQ(hb_client_send_data(&c, (const uint8_t *)"x", 1), HB_ERR_STATE);
  expect_disconnected(&c, &f, HB_REASON_IO_ERROR);
}

static void partial_sends_are_finished_in_order(void) {
  fake f;
  hb_client c;
  size_t off;
  memset(&f, 0, sizeof f);
  start_v1(&c, &f, 0);
  f.send_chunk = 3;
  f.send_blocked = 1;
  CHECK_EQ(hb_client_send_data(&c, (const uint8_t *)"first", 5), HB_OK);
  CHECK_EQ(hb_client_pending(&c), 13);
  CHECK_EQ(hb_client_send_data(&c, (const uint8_t *)"second", 6), HB_OK);
  CHECK_EQ(hb_client_pending(&c), 27);
  f.send_blocked = 0;
  hb_client_process(&c, 10);
  CHECK_EQ(hb_client_pending(&c), 0);
  off = expect_frame(&f, 0, HB_DATA, "first", 5, 0);
  expect_frame(&f, off, HB_DATA, "second", 6, 0);
}

static void full_send_buffer_says_busy_and_loses_nothing(void) {
  fake f;
  hb_client c;
  static uint8_t big[200];
  size_t off;
  memset(&f, 0, sizeof f);
  start_v1(&c, &f, 0);
  f.send_blocked = 1;
  CHECK_EQ(hb_client_send_data(&c, big, 200), HB_OK);        /* 208 of 256 */
  CHECK_EQ(hb_client_send_data(&c, big, 41), HB_ERR_BUSY);   /* 49 more would not fit */
  CHECK_EQ(hb_client_send_data(&c, big, 40), HB_OK);         /* exactly 256 */
  CHECK_EQ(hb_client_send_data(&c, big, 300), HB_ERR_ARG);   /* never fits */
  f.send_blocked = 0;
  f.send_chunk = 100;
  hb_client_process(&c, 10);
  CHECK_EQ(hb_client_pending(&c), 0);
  off = expect_frame(&f, 0, HB_DATA, big, 200, 0);
  expect_frame(&f, off, HB_DATA, big, 40, 0);
}

static void send_buffer_compacts_after_partial_send(void) {
  fake f;
  hb_client c;
  static uint8_t big[200];
  size_t off;
  memset(&f, 0, sizeof f);
  start_v1(&c, &f, 0);
  f.send_blocked = 1;
  CHECK_EQ(hb_client_send_data(&c, big, 200), HB_OK);        /* 208 queued */
  f.send_blocked = 0;
  f.send_chunk = 100;
  f.block_after = 1;                                         /* takes 100, then blocks */
  hb_client_process(&c, 10);
  CHECK_EQ(hb_client_pending(&c), 108);
  /* 140 more fit in 256 only if the 108 left move to the front. */
  CHECK_EQ(hb_client_send_data(&c, big, 132), HB_OK);
  CHECK_EQ(hb_client_pending(&c), 248);
  f.send_blocked = 0;
  hb_client_process(&c, 20);
  CHECK_EQ(hb_client_pending(&c), 0);
  off = expect_frame(&f, 0, HB_DATA, big, 200, 0);
  expect_frame(&f, off, HB_DATA, big, 132, 0);
}

static void local_goodbye_sends_reason_and_ends(void) {
  fake f;
  hb_client c;
  memset(&f, 0, sizeof f);
  start_v1(&c, &f, 1);
  CHECK_EQ(hb_client_goodbye(&c, "closed", 6), HB_OK);
  expect_frame(&f, 0, HB_GOODBYE, "closed", 6, 1);
  expect_disconnected(&c, &f, HB_REASON_LOCAL);
  CHECK_EQ(hb_client_send_data(&c, (const uint8_t *)"x", 1), HB_ERR_STATE);
  /* A new transport: the client starts again from scratch. */
  memset(&f, 0, sizeof f);
  f.now = 50000;
  CHECK_EQ(hb_client_start(&c, fake_io(&f), f.now), HB_OK);
  hb_client_process(&c, 50999);
  CHECK_EQ(f.out_len, 0);
  hb_client_process(&c, 51000);
  CHECK_EQ(f.out_len, 8);
}

/* ---- version 1.1 ---- */

static void start_v11(hb_client *c, fake *f, int be, const char *token) {
  hb_config cfg = base_config(f);
  cfg.byte_order = be ? HB_BIG_ENDIAN : HB_LITTLE_ENDIAN;
  cfg.client_id = "meter-7";
  cfg.client_id_len = 7;
  cfg.token = token;
  cfg.token_len = (uint16_t)(token ? strlen(token) : 0);
  cfg.interval_ms = 2500;
  CHECK_EQ(hb_client_init(c, &cfg), HB_OK);
  CHECK_EQ(hb_client_start(c, fake_io(f), f->now), HB_OK);
}

static void sends_hello_with_id_interval_and_token(void) {
  int be;
  for (be = 0; be < 2; be++) {
    fake f;
    hb_client c;
    memset(&f, 0, sizeof f);
    start_v11(&c, &f, be, "a.b.c");
    CHECK_EQ(hb_client_state(&c), HB_STATE_HELLO_SENT);
    CHECK_EQ(f.out_len, 8 + 8 + 7 + 5);
    CHECK_EQ(get32(f.out, be), HB_HELLO);
    CHECK_EQ(get32(f.out + 4, be), 8 + 7 + 5);
    CHECK_EQ(get32(f.out + 8, be), 2500);
    CHECK_EQ(be ? (f.out[12] << 8 | f.out[13]) : (f.out[13] << 8 | f.out[12]), 7);
    CHECK_EQ(be ? (f.out[14] << 8 | f.out[15]) : (f.out[15] << 8 | f.out[14]), 5);
    CHECK(memcmp(f.out + 16, "meter-7", 7) == 0);
    CHECK(memcmp(f.out + 23, "a.b.c", 5) == 0);
  }
}

static void hello_without_token_has_empty_token(void) {
  fake f;
  hb_client c;
  memset(&f, 0, sizeof f);
  start_v11(&c, &f, 0, NULL);
  CHECK_EQ(f.out_len, 8 + 8 + 7);
  CHECK_EQ(f.out[14] | f.out[15] << 8, 0);
}

static void uses_the_interval_welcome_grants(void) {
  int be;
  for (be = 0; be < 2; be++) {
    fake f;
    hb_client c;
    size_t hello;
    memset(&f, 0, sizeof f);
    start_v11(&c, &f, be, NULL);
    hello = f.out_len;
    hb_client_process(&c, 2600);                              /* no heartbeat before WELCOME */
    CHECK_EQ(f.out_len, hello);
    server_welcome(&f, 3000, 15000, 3000, 0x0102030405060708ull, be);
    hb_client_process(&c, 2700);
    CHECK_EQ(hb_client_state(&c), HB_STATE_CONNECTED);
    CHECK_EQ(hb_client_interval_ms(&c), 3000);
    CHECK_EQ(last_event(&f)->type, HB_EV_WELCOME);
    CHECK_EQ(last_event(&f)->interval_ms, 3000);
    CHECK_EQ(last_event(&f)->close_after_ms, 15000);
    CHECK_EQ(last_event(&f)->tick_ms, 3000);
    CHECK(last_event(&f)->connection_id == 0x0102030405060708ull);
    hb_client_process(&c, 2999);                              /* HELLO at 0 was a send */
    CHECK_EQ(f.out_len, hello);
    hb_client_process(&c, 3000);                              /* granted 3000, not asked 2500 */
    expect_frame(&f, hello, HB_HEARTBEAT, NULL, 0, be);
  }
}

static void refusal_before_welcome_is_a_goodbye(void) {
  fake f;
  hb_client c;
  memset(&f, 0, sizeof f);
  start_v11(&c, &f, 0, "bad");
  server_frame(&f, HB_GOODBYE, 12, "unauthorized", 0);
  hb_client_process(&c, 10);
  CHECK_EQ(count_events(&f, HB_EV_WELCOME), 0);
  CHECK_EQ(f.events[f.event_count - 2].type, HB_EV_GOODBYE);
  CHECK(memcmp(f.payloads[f.event_count - 2], "unauthorized", 12) == 0);
  expect_disconnected(&c, &f, HB_REASON_GOODBYE);
}

static void takeover_goodbye_replaced_after_welcome(void) {
  fake f;
  hb_client c;
  memset(&f, 0, sizeof f);
  start_v11(&c, &f, 0, NULL);
  server_welcome(&f, 2500, 12500, 2500, 9, 0);
  server_frame(&f, HB_HEARTBEAT_ACK, 0, NULL, 0);
  server_frame(&f, HB_GOODBYE, 8, "replaced", 0);
  hb_client_process(&c, 10);
  CHECK_EQ(count_events(&f, HB_EV_WELCOME), 1);
  CHECK_EQ(count_events(&f, HB_EV_ACK), 1);
  CHECK(memcmp(f.payloads[f.event_count - 2], "replaced", 8) == 0);
  expect_disconnected(&c, &f, HB_REASON_GOODBYE);
}

static void v11_illegal(const char *what, int ack_first, int32_t welcome_len,
                        uint32_t interval, int twice) {
  fake f;
  hb_client c;
  size_t hello;
  uint8_t p[HB_WELCOME_BYTES + 4];
  memset(&f, 0, sizeof f);
  memset(p, 0, sizeof p);
  start_v11(&c, &f, 0, NULL);
  hello = f.out_len;
  if (ack_first) {
    server_frame(&f, HB_HEARTBEAT_ACK, 0, NULL, 0);
  }
  put32(p, interval, 0);
  server_frame(&f, HB_WELCOME, welcome_len, p, 0);
  if (twice) {
    server_frame(&f, HB_WELCOME, welcome_len, p, 0);
  }
  hb_client_process(&c, 10);
  if (hb_client_state(&c) != HB_STATE_IDLE) {
    printf("  not refused: %s\n", what);
  }
  expect_disconnected(&c, &f, HB_REASON_PROTOCOL);
  CHECK_EQ(f.out_len, hello);
}

static void malformed_welcome_is_illegal(void) {
  v11_illegal("frame before WELCOME", 1, HB_WELCOME_BYTES, 1000, 0);
  v11_illegal("short WELCOME", 0, HB_WELCOME_BYTES - 1, 1000, 0);
  v11_illegal("long WELCOME", 0, HB_WELCOME_BYTES + 1, 1000, 0);
  v11_illegal("interval 0", 0, HB_WELCOME_BYTES, 0, 0);
  v11_illegal("negative interval", 0, HB_WELCOME_BYTES, 0x80000000u, 0);
  v11_illegal("second WELCOME", 0, HB_WELCOME_BYTES, 1000, 1);
}

static void waiting_for_welcome_times_out(void) {
  fake f;
  hb_client c;
  memset(&f, 0, sizeof f);
  start_v11(&c, &f, 0, NULL);
  CHECK_EQ(hb_client_next_ms(&c, 0), 5000);                 /* no heartbeat deadline yet */
  hb_client_process(&c, 4999);
  CHECK_EQ(hb_client_state(&c), HB_STATE_HELLO_SENT);
  hb_client_process(&c, 5000);
  expect_disconnected(&c, &f, HB_REASON_SERVER_TIMEOUT);
}

static void restart_sends_hello_again_with_requested_interval(void) {
  fake f;
  hb_client c;
  memset(&f, 0, sizeof f);
  start_v11(&c, &f, 0, NULL);
  server_welcome(&f, 6000, 30000, 3000, 1, 0);
  f.in_closed = 1;
  hb_client_process(&c, 10);
  expect_disconnected(&c, &f, HB_REASON_PEER_CLOSED);
  memset(&f, 0, sizeof f);
  CHECK_EQ(hb_client_start(&c, fake_io(&f), 100), HB_OK);
  CHECK_EQ(hb_client_interval_ms(&c), 2500);
  CHECK_EQ(get32(f.out, 0), HB_HELLO);
  CHECK_EQ(get32(f.out + 8, 0), 2500);
}

static void ends_while_waiting_for_welcome(void) {
  fake f;
  hb_client c;
  size_t hello;
  memset(&f, 0, sizeof f);
  start_v11(&c, &f, 0, NULL);
  hello = f.out_len;
  CHECK_EQ(hb_client_send_data(&c, (const uint8_t *)"x", 1), HB_ERR_STATE); /* not yet */
  CHECK_EQ(hb_client_goodbye(&c, "closed", 6), HB_OK);
  expect_frame(&f, hello, HB_GOODBYE, "closed", 6, 0);
  expect_disconnected(&c, &f, HB_REASON_LOCAL);

  memset(&f, 0, sizeof f);
  start_v11(&c, &f, 0, NULL);
  f.in_closed = 1;                                           /* closed without a word */
  hb_client_process(&c, 10);
  expect_disconnected(&c, &f, HB_REASON_PEER_CLOSED);
}

/* ---- backoff ---- */

static uint32_t fixed_random(void *ctx) {
  return *(uint32_t *)ctx;
}

static void backoff_bounds_double_to_the_cap(void) {
  uint32_t r = 0xFFFFFFFFu;
  hb_backoff b;
  uint32_t expected[] = {100, 200, 400, 800, 1600, 3200, 5000, 5000};
  size_t i;
  b.initial_ms = 100;
  b.max_ms = 5000;
  b.attempts = 0;
  b.random = fixed_random;
  b.random_ctx = &r;
  for (i = 0; i < sizeof expected / sizeof expected[0]; i++) {
    CHECK_EQ(hb_backoff_bound_ms(&b), expected[i]);
    CHECK_EQ(hb_backoff_next_ms(&b), expected[i]);          /* the top of the range */
  }
  b.attempts = 4000000000u;                                  /* no overflow after many */
  CHECK_EQ(hb_backoff_bound_ms(&b), 5000);
  hb_backoff_reset(&b);
  r = 0;
  CHECK_EQ(hb_backoff_next_ms(&b), 0);                       /* full jitter: down to 0 */
  r = 0x80000000u;
  CHECK_EQ(hb_backoff_next_ms(&b), 100);                     /* half of bound 200 */
  b.max_ms = 0xFFFFFFFFu;
  b.initial_ms = 0x80000000u;
  b.attempts = 3;
  r = 0xFFFFFFFFu;
  CHECK_EQ(hb_backoff_bound_ms(&b), 0xFFFFFFFFu);
  CHECK_EQ(hb_backoff_next_ms(&b), 0xFFFFFFFFu);
}

/* ---- the POSIX transport over a socketpair ---- */

static void posix_transport_moves_bytes_and_sees_close(void) {
  int sv[2];
  hb_transport t;
  uint8_t buf[16];
  CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  t = hb_posix_transport(&sv[0]);
  CHECK_EQ(t.recv(t.ctx, buf, sizeof buf, 0), 0);            /* nothing yet, no wait */
  CHECK_EQ(t.recv(t.ctx, buf, sizeof buf, 20), 0);           /* waits 20 ms, still nothing */
  CHECK_EQ(write(sv[1], "abc", 3), 3);
  CHECK_EQ(t.recv(t.ctx, buf, sizeof buf, 1000), 3);
  CHECK(memcmp(buf, "abc", 3) == 0);
  CHECK_EQ(t.send(t.ctx, (const uint8_t *)"xy", 2), 2);
  CHECK_EQ(read(sv[1], buf, sizeof buf), 2);
  close(sv[1]);
  CHECK_EQ(t.recv(t.ctx, buf, sizeof buf, 1000), HB_IO_CLOSED);
  CHECK_EQ(t.send(t.ctx, (const uint8_t *)"xy", 2), HB_IO_ERROR);  /* EPIPE, no SIGPIPE */
  close(sv[0]);
}

typedef struct test_case {
  const char *name;
  void (*run)(void);
} test_case;

static const test_case TESTS[] = {
    {"init_refuses_bad_settings", init_refuses_bad_settings},
    {"start_takes_transport_and_reports_connected", start_takes_transport_and_reports_connected},
    {"heartbeats_only_when_idle", heartbeats_only_when_idle},
    {"data_sent_defers_the_heartbeat", data_sent_defers_the_heartbeat},
    {"received_frames_do_not_defer_the_heartbeat", received_frames_do_not_defer_the_heartbeat},
    {"judges_server_dead_after_timeout_of_silence", judges_server_dead_after_timeout_of_silence},
    {"server_timeout_zero_never_judges", server_timeout_zero_never_judges},
    {"answers_server_probe_with_ack", answers_server_probe_with_ack},
    {"reports_ack_and_data_with_payloads", reports_ack_and_data_with_payloads},
    {"server_goodbye_ends_with_its_reason", server_goodbye_ends_with_its_reason},
    {"illegal_input_disconnects_without_reply", illegal_input_disconnects_without_reply},
    {"largest_payload_is_legal", largest_payload_is_legal},
    {"decodes_split_reads_at_every_byte", decodes_split_reads_at_every_byte},
    {"incomplete_frame_is_no_sign_of_life", incomplete_frame_is_no_sign_of_life},
    {"times_wrap_around_2_pow_32", times_wrap_around_2_pow_32},
    {"peer_close_and_errors_end_the_connection", peer_close_and_errors_end_the_connection},
    {"partial_sends_are_finished_in_order", partial_sends_are_finished_in_order},
    {"full_send_buffer_says_busy_and_loses_nothing", full_send_buffer_says_busy_and_loses_nothing},
    {"send_buffer_compacts_after_partial_send", send_buffer_compacts_after_partial_send},
    {"local_goodbye_sends_reason_and_ends", local_goodbye_sends_reason_and_ends},
    {"sends_hello_with_id_interval_and_token", sends_hello_with_id_interval_and_token},
    {"hello_without_token_has_empty_token", hello_without_token_has_empty_token},
    {"uses_the_interval_welcome_grants", uses_the_interval_welcome_grants},
    {"refusal_before_welcome_is_a_goodbye", refusal_before_welcome_is_a_goodbye},
    {"takeover_goodbye_replaced_after_welcome", takeover_goodbye_replaced_after_welcome},
    {"malformed_welcome_is_illegal", malformed_welcome_is_illegal},
    {"waiting_for_welcome_times_out", waiting_for_welcome_times_out},
    {"ends_while_waiting_for_welcome", ends_while_waiting_for_welcome},
    {"restart_sends_hello_again_with_requested_interval",
     restart_sends_hello_again_with_requested_interval},
    {"backoff_bounds_double_to_the_cap", backoff_bounds_double_to_the_cap},
    {"posix_transport_moves_bytes_and_sees_close", posix_transport_moves_bytes_and_sees_close},
};

int main(int argc, char **argv) {
  size_t i;
  int passed = 0, failed = 0;
  if (argc > 1 && strcmp(argv[1], "--sizeof") == 0) {
    printf("sizeof(hb_client) = %zu bytes\n", sizeof(hb_client));
    return 0;
  }
  for (i = 0; i < sizeof TESTS / sizeof TESTS[0]; i++) {
    failures_in_test = 0;
    TESTS[i].run();
    if (failures_in_test) {
      printf("FAIL %s\n", TESTS[i].name);
      failed++;
    } else {
      printf("ok   %s\n", TESTS[i].name);
      passed++;
    }
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
