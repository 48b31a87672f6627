/*
 * hb_client.h - the Heartbeat protocol core (wire protocol 1.0 and 1.1).
 *
 * No malloc, no threads, no global state: the caller owns the hb_client struct and both
 * buffers. The network is an hb_transport (send, recv with a timeout, opaque context); time
 * is a uint32 millisecond clock that may wrap (every comparison is wraparound-safe, so the
 * clock may start anywhere and run past 2^32).
 *
 * Frame: 8-byte header (int32 type, int32 length) then `length` payload bytes, in the byte
 * order of the deployment (little-endian by default, big-endian with HB_BIG_ENDIAN).
 *
 *   hb_client_init()     once, with the settings and buffers
 *   hb_client_start()    after the transport connected: sends HELLO when a client id is set
 *   hb_client_process()  whenever the socket is readable or hb_client_next_ms() has elapsed
 *   hb_client_send_data(), hb_client_goodbye()
 *
 * Every outcome is reported through the event callback; after HB_EV_DISCONNECTED the caller
 * closes its socket and may call hb_client_start() again on a new one.
 */
#ifndef HB_CLIENT_H
#define HB_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Frame types. */
enum hb_frame_type {
  HB_HEARTBEAT = 0,
  HB_DATA = 1,
  HB_HEARTBEAT_ACK = 2,
  HB_GOODBYE = 3,
  HB_HELLO = 4,
  HB_WELCOME = 5
};

/* Transport results besides a count of bytes. */
#define HB_IO_CLOSED (-1) /* the peer closed the connection (recv) */
#define HB_IO_ERROR (-2)  /* reset, broken pipe, any other socket error */

/* Function results. */
#define HB_OK 0
#define HB_ERR_ARG (-10)   /* a bad argument; nothing changed */
#define HB_ERR_STATE (-11) /* not allowed in the current state */
#define HB_ERR_BUSY (-12)  /* the send buffer cannot take the frame now; try after process */

/* Largest client id and token a HELLO may carry (protocol 1.1). */
#define HB_MAX_CLIENT_ID_BYTES 128
#define HB_MAX_TOKEN_BYTES 4096
/* Bytes of a WELCOME payload. */
#define HB_WELCOME_BYTES 20

/*
 * The network. send: hand over up to len bytes; returns how many were taken (0 when the
 * socket cannot take any now) or HB_IO_ERROR. recv: wait at most timeout_ms (0 = do not
 * wait) for bytes; returns how many were read (0 when none arrived), HB_IO_CLOSED or
 * HB_IO_ERROR.
 */
typedef struct hb_transport {
  int (*send)(void *ctx, const uint8_t *buf, size_t len);
  int (*recv)(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms);
  void *ctx;
} hb_transport;

/* Milliseconds from any origin; allowed to wrap around 2^32. */
typedef uint32_t (*hb_clock_fn)(void *user);

enum hb_state {
  HB_STATE_IDLE = 0,     /* not connected: init done, or after HB_EV_DISCONNECTED */
  HB_STATE_HELLO_SENT,   /* 1.1: HELLO sent, waiting for WELCOME */
  HB_STATE_CONNECTED     /* heartbeating */
};

enum hb_event_type {
  HB_EV_CONNECTED = 1,   /* hb_client_start() took the transport */
  HB_EV_WELCOME,         /* 1.1 session open; welcome fields set; interval_ms now in use */
  HB_EV_HEARTBEAT_SENT,  /* an idle-time HEARTBEAT was handed to the transport */
  HB_EV_ACK,             /* HEARTBEAT_ACK; payload may be empty */
  HB_EV_DATA,            /* DATA from the server */
  HB_EV_PROBE,           /* the server's HEARTBEAT, answered with an ACK */
  HB_EV_GOODBYE,         /* the server's GOODBYE; payload is the reason (UTF-8, no NUL) */
  HB_EV_SERVER_TIMEOUT,  /* nothing received for server_timeout_ms */
  HB_EV_DISCONNECTED     /* the connection is over; reason says why; close the socket */
};

enum hb_disconnect_reason {
  HB_REASON_GOODBYE = 1,  /* the server said GOODBYE */
  HB_REASON_SERVER_TIMEOUT,
  HB_REASON_PEER_CLOSED,  /* the server closed without GOODBYE */
  HB_REASON_IO_ERROR,
  HB_REASON_PROTOCOL,     /* illegal input from the server */
  HB_REASON_LOCAL         /* hb_client_goodbye() */
};

typedef struct hb_event {
  int type;                 /* enum hb_event_type */
  int reason;               /* HB_EV_DISCONNECTED: enum hb_disconnect_reason */
  const uint8_t *payload;   /* ACK, DATA, PROBE, GOODBYE: valid during the callback only */
  uint32_t length;
  uint32_t interval_ms;     /* WELCOME */
  uint32_t close_after_ms;  /* WELCOME */
  uint32_t tick_ms;         /* WELCOME */
  uint64_t connection_id;   /* WELCOME */
} hb_event;

typedef void (*hb_event_fn)(void *user, const hb_event *event);

/* Byte order flags. */
#define HB_LITTLE_ENDIAN 0
#define HB_BIG_ENDIAN 1

/*
 * Settings, copied by hb_client_init. Strings are not copied: client_id and token must stay
 * valid while the client is used (HELLO is sent on every start).
 */
typedef struct hb_config {
  uint32_t interval_ms;        /* heartbeat after this long without sending; > 0. In 1.1 the
                                  requested interval, replaced by WELCOME's (0 = server tick) */
  uint32_t server_timeout_ms;  /* judge the server dead after this long without receiving
                                  anything; 0 = never */
  int byte_order;              /* HB_LITTLE_ENDIAN (the protocol's default) or HB_BIG_ENDIAN */
  const char *client_id;       /* NULL: version 1 (no HELLO); else 1..128 bytes of UTF-8
                                  without control characters (UTF-8 is not checked here) */
  uint16_t client_id_len;
  const char *token;           /* HELLO credential, e.g. a JWT: printable ASCII (0x21..0x7e),
                                  up to 4096 bytes; NULL or "" for none */
  uint16_t token_len;
  uint8_t *rx_buf;             /* largest payload accepted = rx_cap; longer is illegal */
  uint32_t rx_cap;
  uint8_t *tx_buf;             /* frames waiting for the socket; >= 8 + largest frame sent */
  uint32_t tx_cap;
  hb_clock_fn clock;           /* time for sends outside hb_client_process */
  hb_event_fn on_event;        /* may be NULL */
  void *user;                  /* passed to clock and on_event */
} hb_config;

/* The client. Opaque: use the functions. sizeof(hb_client) is all a connection costs. */
typedef struct hb_client {
  hb_transport io;
  hb_clock_fn clock;
  hb_event_fn on_event;
  void *user;
  const char *client_id;
  const char *token;
  uint8_t *rx_buf;
  uint8_t *tx_buf;
  uint32_t rx_cap;
  uint32_t tx_cap;
  uint32_t tx_len;
  uint32_t tx_off;
  uint32_t requested_ms;
  uint32_t interval_ms;
  uint32_t server_timeout_ms;
  uint32_t last_sent;
  uint32_t last_recv;
  uint32_t rx_got;          /* bytes of the current header or payload read so far */
  int32_t rx_type;
  int32_t rx_len;           /* -1 while reading the header */
  uint16_t client_id_len;
  uint16_t token_len;
  uint8_t state;
  uint8_t big_endian;
  uint8_t hdr[8];
} hb_client;

/* Checks and copies the settings. HB_OK, or HB_ERR_ARG naming no field (see the rules above). */
int hb_client_init(hb_client *c, const hb_config *cfg);

/* Takes a connected transport: sends HELLO (1.1) or starts heartbeating (1). Emits CONNECTED. */
int hb_client_start(hb_client *c, hb_transport io, uint32_t now);

/* Reads what arrived (without waiting), answers probes, sends a heartbeat when idle for the
   interval, judges the server. Returns the state afterwards. */
int hb_client_process(hb_client *c, uint32_t now);

/* Milliseconds until hb_client_process has something to do on its own (0: now). */
uint32_t hb_client_next_ms(const hb_client *c, uint32_t now);

/* Queues a DATA frame and tries to send it. HB_OK, HB_ERR_BUSY, HB_ERR_ARG or HB_ERR_STATE. */
int hb_client_send_data(hb_client *c, const uint8_t *payload, uint32_t len);

/* Sends GOODBYE with reason (best effort), then ends the connection (HB_REASON_LOCAL). */
int hb_client_goodbye(hb_client *c, const char *reason, uint32_t len);

int hb_client_state(const hb_client *c);

/* Bytes queued but not yet taken by the transport. */
uint32_t hb_client_pending(const hb_client *c);

/* The interval in use: the configured one, or WELCOME's. */
uint32_t hb_client_interval_ms(const hb_client *c);

/* Wraparound-safe: is `a` at or after `b`? (true while they are less than 2^31 ms apart) */
static inline int hb_time_reached(uint32_t now, uint32_t deadline) {
  return (int32_t)(now - deadline) >= 0;
}

#ifdef __cplusplus
}
#endif

#endif
