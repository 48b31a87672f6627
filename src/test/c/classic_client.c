/*
 * The classic C heartbeat client, as the seeds wrote it: a raw struct PACKET_HEAD on the wire
 * (host byte order, so little-endian on x86-64 and ARM), one heartbeat every interval, then
 * silent but keeping the socket open. Used by CClientCompatibilityTest.
 *
 * usage: classic_client PORT INTERVAL_MS HEARTBEATS [HOST]   (HOST: IPv4, default 127.0.0.1)
 * prints: "ack N" per HEARTBEAT_ACK, "last-heartbeat-ms T", "goodbye REASON",
 *         "closed-after-last-ms D" when the server closes the socket.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

enum Type { HEARTBEAT = 0, DATA = 1, HEARTBEAT_ACK = 2, GOODBYE = 3 };
struct PACKET_HEAD { enum Type type; int length; };

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int read_full(int fd, void *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = recv(fd, (char *) buf + got, n - got, 0);
    if (r <= 0) return -1;
    got += (size_t) r;
  }
  return 0;
}

/* Reads frames until the deadline (ms, monotonic) or close; returns -1 on close. */
static int read_until(int fd, long long deadline, int *acks, long long last_hb) {
  for (;;) {
    long long left = deadline - now_ms();
    if (deadline > 0 && left <= 0) return 0;
    struct timeval tv = { deadline > 0 ? left / 1000 : 3600, deadline > 0 ? (left % 1000) * 1000 : 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct PACKET_HEAD head;
    ssize_t r = recv(fd, &head, sizeof head, MSG_PEEK);
    if (r < 0) continue; /* timeout: loop re-checks the deadline */
    if (r == 0 || read_full(fd, &head, sizeof head) < 0) {
      printf("closed-after-last-ms %lld\n", now_ms() - last_hb);
      return -1;
    }
    char payload[256] = {0};
    if (head.length > 0 && read_full(fd, payload, head.length < 255 ? head.length : 255) < 0) {
      printf("closed-after-last-ms %lld\n", now_ms() - last_hb);
      return -1;
    }
    if (head.type == HEARTBEAT_ACK) printf("ack %d\n", ++*acks);
    if (head.type == GOODBYE) printf("goodbye %s\n", payload);
    fflush(stdout);
  }
}

int main(int argc, char **argv) {
  if (argc != 4 && argc != 5) {
    fprintf(stderr, "usage: %s PORT INTERVAL_MS HEARTBEATS [HOST]\n", argv[0]);
    return 2;
  }
  int port = atoi(argv[1]), interval = atoi(argv[2]), count = atoi(argv[3]);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (argc == 5 && inet_pton(AF_INET, argv[4], &addr.sin_addr) != 1) {
    fprintf(stderr, "bad host %s\n", argv[4]);
    return 2;
  }
  if (connect(fd, (struct sockaddr *) &addr, sizeof addr) < 0) { perror("connect"); return 1; }
  int acks = 0;
  long long last_hb = now_ms();
  for (int i = 0; i < count; i++) {
    struct PACKET_HEAD head = { HEARTBEAT, 0 };
    if (send(fd, &head, sizeof head, 0) != sizeof head) { perror("send"); return 1; }
    last_hb = now_ms();
    if (read_until(fd, last_hb + interval, &acks, last_hb) < 0) return 0;
  }
  printf("last-heartbeat-ms %lld\n", last_hb);
  fflush(stdout);
  read_until(fd, 0, &acks, last_hb); /* silent, socket open, until the server closes it */
  return 0;
}
