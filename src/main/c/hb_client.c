/* hb_client.c - the protocol core: frames in and out, idle-only heartbeats, server judgement. */
#include "hb_client.h"

#include <string.h>

#define HEADER_BYTES 8u

static void put32(const hb_client *c, uint8_t *p, uint32_t v) {
  if (c->big_endian) {
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
  } else {
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
  }
}

static void put16(const hb_client *c, uint8_t *p, uint16_t v) {
  if (c->big_endian) {
    p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v;
  } else {
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8);
  }
}

static uint32_t get32(const hb_client *c, const uint8_t *p) {
  if (c->big_endian) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
  }
  return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static void emit(hb_client *c, hb_event *ev) {
  if (c->on_event) {
    c->on_event(c->user, ev);
  }
}

static void emit_simple(hb_client *c, int type, int reason) {
  hb_event ev;
  memset(&ev, 0, sizeof ev);
  ev.type = type;
  ev.reason = reason;
  emit(c, &ev);
}

static void end(hb_client *c, int reason) {
  c->state = HB_STATE_IDLE;
  c->tx_len = c->tx_off = 0;
  emit_simple(c, HB_EV_DISCONNECTED, reason);
}

/* Hands queued bytes to the transport until it takes no more. 0, or -1 after ending. */
static int flush(hb_client *c) {
  while (c->tx_off < c->tx_len) {
    int n = c->io.send(c->io.ctx, c->tx_buf + c->tx_off, c->tx_len - c->tx_off);
    if (n < 0) {
      end(c, HB_REASON_IO_ERROR);
      return -1;
    }
    if (n == 0) {
      return 0;
    }
    c->tx_off += (uint32_t)n;
  }
  c->tx_len = c->tx_off = 0;
  return 0;
}

/* Reserves room for a frame of `len` payload bytes and writes its header; NULL when full. */
static uint8_t *frame(hb_client *c, int type, uint32_t len, uint32_t now) {
  uint32_t need = HEADER_BYTES + len;
  uint8_t *p;
  if (need > c->tx_cap - (c->tx_len - c->tx_off)) {
    return NULL;
  }
  if (c->tx_len + need > c->tx_cap) {
    memmove(c->tx_buf, c->tx_buf + c->tx_off, c->tx_len - c->tx_off);
    c->tx_len -= c->tx_off;
    c->tx_off = 0;
  }
  p = c->tx_buf + c->tx_len;
  put32(c, p, (uint32_t)type);
  put32(c, p + 4, len);
  c->tx_len += need;
  c->last_sent = now;
  return p + HEADER_BYTES;
}

static int queue(hb_client *c, int type, const uint8_t *payload, uint32_t len, uint32_t now) {
  uint8_t *p = frame(c, type, len, now);
  if (p == NULL) {
    return HB_ERR_BUSY;
  }
  if (len) {
    memcpy(p, payload, len);
  }
  return flush(c) < 0 ? HB_ERR_STATE : HB_OK;
}

int hb_client_init(hb_client *c, const hb_config *cfg) {
  uint32_t i;
  if (c == NULL || cfg == NULL || cfg->tx_buf == NULL || cfg->tx_cap < HEADER_BYTES
      || (cfg->rx_buf == NULL && cfg->rx_cap) || cfg->clock == NULL
      || (cfg->client_id == NULL && cfg->interval_ms == 0)
      || (int32_t)cfg->interval_ms < 0 || (int32_t)cfg->server_timeout_ms < 0
      || (cfg->byte_order != HB_LITTLE_ENDIAN && cfg->byte_order != HB_BIG_ENDIAN)) {
    return HB_ERR_ARG;
  }
  if (cfg->client_id) {
    if (cfg->client_id_len < 1 || cfg->client_id_len > HB_MAX_CLIENT_ID_BYTES
        || cfg->token_len > HB_MAX_TOKEN_BYTES || (cfg->token_len && cfg->token == NULL)
        || cfg->tx_cap < HEADER_BYTES + 8u + cfg->client_id_len + cfg->token_len
        || (cfg->rx_cap < HB_WELCOME_BYTES)) {
      return HB_ERR_ARG;
    }
    for (i = 0; i < cfg->client_id_len; i++) {
      uint8_t b = (uint8_t)cfg->client_id[i];
      if (b < 0x20 || b == 0x7f) {
        return HB_ERR_ARG;
      }
    }
    /* The server closes a HELLO whose token is not printable ASCII without a word: say it here. */
    for (i = 0; i < cfg->token_len; i++) {
      uint8_t b = (uint8_t)cfg->token[i];
      if (b < 0x21 || b > 0x7e) {
        return HB_ERR_ARG;
      }
    }
  }
  memset(c, 0, sizeof *c);
  c->clock = cfg->clock;
  c->on_event = cfg->on_event;
  c->user = cfg->user;
  c->client_id = cfg->client_id;
  c->client_id_len = cfg->client_id ? cfg->client_id_len : 0;
  c->token = cfg->token;
  c->token_len = cfg->token ? cfg->token_len : 0;
  c->rx_buf = cfg->rx_buf;
  c->rx_cap = cfg->rx_cap;
  c->tx_buf = cfg->tx_buf;
  c->tx_cap = cfg->tx_cap;
  c->requested_ms = c->interval_ms = cfg->interval_ms;
  c->server_timeout_ms = cfg->server_timeout_ms;
  c->big_endian = (uint8_t)cfg->byte_order;
  c->state = HB_STATE_IDLE;
  return HB_OK;
}

int hb_client_start(hb_client *c, hb_transport io, uint32_t now) {
  if (c == NULL || io.send == NULL || io.recv == NULL) {
    return HB_ERR_ARG;
  }
  if (c->state != HB_STATE_IDLE) {
    return HB_ERR_STATE;
  }
  c->io = io;
  c->tx_len = c->tx_off = c->rx_got = 0;
  c->rx_len = -1;
  c->last_recv = c->last_sent = now;
  c->interval_ms = c->requested_ms;
  c->state = c->client_id ? HB_STATE_HELLO_SENT : HB_STATE_CONNECTED;
  emit_simple(c, HB_EV_CONNECTED, 0);
  if (c->client_id) {
    uint8_t *p = frame(c, HB_HELLO, 8u + c->client_id_len + c->token_len, now);
    put32(c, p, c->requested_ms);
    put16(c, p + 4, c->client_id_len);
    put16(c, p + 6, c->token_len);
    memcpy(p + 8, c->client_id, c->client_id_len);
    if (c->token_len) {
      memcpy(p + 8 + c->client_id_len, c->token, c->token_len);
    }
    if (flush(c) < 0) {
      return HB_ERR_STATE;
    }
  }
  return HB_OK;
}

/* Acts on one complete frame. 0, or -1 when the connection ended. */
static int on_frame(hb_client *c, uint32_t now) {
  hb_event ev;
  memset(&ev, 0, sizeof ev);
  ev.payload = c->rx_buf;
  ev.length = (uint32_t)c->rx_len;
  c->last_recv = now;
  if (c->state == HB_STATE_HELLO_SENT && c->rx_type != HB_WELCOME && c->rx_type != HB_GOODBYE) {
    end(c, HB_REASON_PROTOCOL);
    return -1;
  }
  switch (c->rx_type) {
    case HB_HEARTBEAT:
      ev.type = HB_EV_PROBE;
      emit(c, &ev);
      /* Bytes already in the send buffer reach the server before the reply: no need to add. */
      return queue(c, HB_HEARTBEAT_ACK, NULL, 0, now) == HB_ERR_STATE ? -1 : 0;
    case HB_DATA:
      ev.type = HB_EV_DATA;
      emit(c, &ev);
      return 0;
    case HB_HEARTBEAT_ACK:
      ev.type = HB_EV_ACK;
      emit(c, &ev);
      return 0;
    case HB_GOODBYE:
      ev.type = HB_EV_GOODBYE;
      emit(c, &ev);
      end(c, HB_REASON_GOODBYE);
      return -1;
    case HB_WELCOME: {
      uint32_t interval;
      if (c->rx_len != HB_WELCOME_BYTES) {
        break;
      }
      interval = get32(c, c->rx_buf);
      if (interval == 0 || (int32_t)interval < 0) {
        break;
      }
      c->interval_ms = interval;
      c->state = HB_STATE_CONNECTED;
      ev.type = HB_EV_WELCOME;
      ev.interval_ms = interval;
      ev.close_after_ms = get32(c, c->rx_buf + 4);
      ev.tick_ms = get32(c, c->rx_buf + 8);
      ev.connection_id = c->big_endian
          ? (uint64_t)get32(c, c->rx_buf + 12) << 32 | get32(c, c->rx_buf + 16)
          : (uint64_t)get32(c, c->rx_buf + 16) << 32 | get32(c, c->rx_buf + 12);
      ev.payload = NULL;
      ev.length = 0;
      emit(c, &ev);
      return 0;
    }
    default:
      break;
  }
  end(c, HB_REASON_PROTOCOL);
  return -1;
}

/* Reads without waiting until the transport has nothing more. 0, or -1 when ended. */
static int receive(hb_client *c, uint32_t now) {
  for (;;) {
    uint8_t *dst;
    uint32_t want;
    int n;
    if (c->rx_len < 0) {
      dst = c->hdr + c->rx_got;
      want = HEADER_BYTES - c->rx_got;
    } else {
      dst = c->rx_buf + c->rx_got;
      want = (uint32_t)c->rx_len - c->rx_got;
    }
    if (want) {
      n = c->io.recv(c->io.ctx, dst, want, 0);
      if (n == 0) {
        return 0;
      }
      if (n < 0) {
        end(c, n == HB_IO_CLOSED ? HB_REASON_PEER_CLOSED : HB_REASON_IO_ERROR);
        return -1;
      }
      c->rx_got += (uint32_t)n;
      if ((uint32_t)n < want) {
        continue;
      }
    }
    if (c->rx_len < 0) {
      int32_t type = (int32_t)get32(c, c->hdr);
      int32_t len = (int32_t)get32(c, c->hdr + 4);
      if (type < HB_HEARTBEAT || type > HB_WELCOME || type == HB_HELLO || len < 0
          || (uint32_t)len > c->rx_cap
          || (type == HB_WELCOME && c->state != HB_STATE_HELLO_SENT)) {
        end(c, HB_REASON_PROTOCOL);
        return -1;
      }
      c->rx_type = type;
      c->rx_len = len;
      c->rx_got = 0;
      if (len > 0) {
        continue;
      }
    }
    if (on_frame(c, now) < 0) {
      return -1;
    }
    c->rx_len = -1;
    c->rx_got = 0;
  }
}

int hb_client_process(hb_client *c, uint32_t now) {
  if (c == NULL || c->state == HB_STATE_IDLE) {
    return HB_STATE_IDLE;
  }
  if (receive(c, now) < 0 || flush(c) < 0) {
    return c->state;
  }
  if (c->server_timeout_ms && hb_time_reached(now, c->last_recv + c->server_timeout_ms)) {
    emit_simple(c, HB_EV_SERVER_TIMEOUT, 0);
    end(c, HB_REASON_SERVER_TIMEOUT);
    return c->state;
  }
  if (c->state == HB_STATE_CONNECTED && hb_time_reached(now, c->last_sent + c->interval_ms)) {
    int rc = queue(c, HB_HEARTBEAT, NULL, 0, now);
    if (rc == HB_OK) {
      emit_simple(c, HB_EV_HEARTBEAT_SENT, 0);
    }
  }
  return c->state;
}

uint32_t hb_client_next_ms(const hb_client *c, uint32_t now) {
  uint32_t next = UINT32_MAX;
  int32_t left;
  if (c == NULL || c->state == HB_STATE_IDLE) {
    return next;
  }
  if (c->server_timeout_ms) {
    left = (int32_t)(c->last_recv + c->server_timeout_ms - now);
    next = left <= 0 ? 0 : (uint32_t)left;
  }
  if (c->state == HB_STATE_CONNECTED) {
    left = (int32_t)(c->last_sent + c->interval_ms - now);
    if (left <= 0) {
      return 0;
    }
    if ((uint32_t)left < next) {
      next = (uint32_t)left;
    }
  }
  return next;
}

int hb_client_send_data(hb_client *c, const uint8_t *payload, uint32_t len) {
  if (c == NULL || (payload == NULL && len)) {
    return HB_ERR_ARG;
  }
  if (c->state != HB_STATE_CONNECTED) {
    return HB_ERR_STATE;
  }
  if (HEADER_BYTES + (uint64_t)len > c->tx_cap) {
    return HB_ERR_ARG;
  }
  return queue(c, HB_DATA, payload, len, c->clock(c->user));
}

int hb_client_goodbye(hb_client *c, const char *reason, uint32_t len) {
  if (c == NULL || (reason == NULL && len)) {
    return HB_ERR_ARG;
  }
  if (c->state == HB_STATE_IDLE) {
    return HB_ERR_STATE;
  }
  if (HEADER_BYTES + (uint64_t)len > c->tx_cap) {
    return HB_ERR_ARG;
  }
  if (queue(c, HB_GOODBYE, (const uint8_t *)reason, len, c->clock(c->user)) == HB_ERR_STATE) {
    return HB_OK; /* the transport failed; end() already reported it */
  }
  end(c, HB_REASON_LOCAL);
  return HB_OK;
}

int hb_client_state(const hb_client *c) {
  return c->state;
}

uint32_t hb_client_pending(const hb_client *c) {
  return c->tx_len - c->tx_off;
}

uint32_t hb_client_interval_ms(const hb_client *c) {
  return c->interval_ms;
}
