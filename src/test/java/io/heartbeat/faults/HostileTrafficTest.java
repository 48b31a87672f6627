package io.heartbeat.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.HeartbeatService;
import io.heartbeat.bus.Addresses;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile traffic through real sockets, scaled for CI (scripts/reliability runs larger counts):
 * garbage openings, length-field memory exhaustion, slow drips and a flooding client.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class HostileTrafficTest {

  private static final int MAX_PAYLOAD = 65_536;

  /** Kept in a field: Vert.x closes a garbage-collected NetClient's sockets. */
  private NetClient client;

  private static byte[] header(int type, int length) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(length)
        .array();
  }

  /** The n-th hostile opening: each starts with a header the protocol calls illegal. */
  private static byte[] hostile(int n, Random random) {
    switch (n % 9) {
      case 0:
        return "GET / HTTP/1.1\r\nHost: heartbeat\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      case 1:
        // Start of a TLS 1.2 ClientHello record.
        return new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03,
            0x03, 0x11, 0x22};
      case 2: {
        byte[] ff = new byte[64];
        java.util.Arrays.fill(ff, (byte) 0xFF);
        return ff;
      }
      case 3:
        return header(1, MAX_PAYLOAD + 1);
      case 4:
        return header(0, -1);
      case 5:
        return header(1, Integer.MAX_VALUE);
      case 6:
        return header(4, 0);
      case 7:
        return header(-1, 8);
      default: {
        byte[] bytes = new byte[32];
        do {
          random.nextBytes(bytes);
        } while (legalHeader(bytes));
        return bytes;
      }
    }
  }

  private static boolean legalHeader(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int type = b.getInt();
    int length = b.getInt();
    return type >= 0 && type <= 3 && length >= 0 && length <= MAX_PAYLOAD;
  }

  private static int openFiles() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }

  private static long heapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private Future<HeartbeatService> start(Vertx vertx, JsonObject settings) throws Exception {
    client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000));
    return HeartbeatService.start(vertx, HeartbeatConfig.fromJson(settings.put("port", 0)
        .put("ioEdge", TestServices.ioEdge()).put("ioInstances", 2).put("maxPayloadBytes", MAX_PAYLOAD)), null, 0);
  }

  @Test
  void hostileOpeningsAreClosedWithNothingSentBackAndLeaveNoFilesOpen(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    int connections = 900;
    int filesBefore = openFiles();
    Random random = new Random(42);
    start(vertx, new JsonObject().put("tickMs", 1000).put("maxMissed", 10)).compose(service -> {
      List<Future<Integer>> repliedBytes = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        byte[] opening = hostile(i, random);
        repliedBytes.add(client.connect(service.port(), "127.0.0.1").compose(socket -> {
          Promise<Integer> closed = Promise.promise();
          int[] received = {0};
          socket.handler(b -> received[0] += b.length());
          socket.closeHandler(v -> closed.complete(received[0]));
          socket.write(Buffer.buffer(opening));
          return closed.future();
        }));
      }
      return Future.all(repliedBytes).compose(all -> {
        ctx.verify(() -> {
          for (int i = 0; i < connections; i++) {
            assertEquals(0, repliedBytes.get(i).result(), "bytes sent back to opening " + i);
          }
        });
        // A good client is still served afterwards.
        return client.connect(service.port(), "127.0.0.1").compose(good -> {
          Promise<Buffer> ack = Promise.promise();
          good.handler(ack::tryComplete);
          good.write(Buffer.buffer(header(0, 0)));
          return ack.future().eventually(() -> good.close());
        });
      });
    }).onComplete(ctx.succeeding(ack -> ctx.verify(() -> {
      assertEquals(8, ack.length());
      assertEquals(2, ack.getIntLE(0), "HEARTBEAT_ACK expected");
      int filesAfter = openFiles();
      // The service's own files (event loops, the listener) were opened after the baseline.
      assertTrue(filesAfter <= filesBefore + 40,
          "open files " + filesBefore + " before, " + filesAfter + " after");
      ctx.completeNow();
    })));
  }

  @Test
  void peersDeclaringTheMaximumAndTricklingHoldOnlyWhatTheySent(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    int peers = 500;
    long heapBefore = heapAfterGc();
    start(vertx, new JsonObject().put("tickMs", 1000).put("maxMissed", 20)).compose(service -> {
      List<Future<Void>> sent = new ArrayList<>();
      byte[] opening = new byte[9];
      System.arraycopy(header(1, MAX_PAYLOAD), 0, opening, 0, 8);
      for (int i = 0; i < peers; i++) {
        sent.add(client.connect(service.port(), "127.0.0.1")
            .compose(socket -> socket.write(Buffer.buffer(opening))));
      }
      // Loopback delivers at once; give the server's loops a moment to read every opening.
      return Future.all(sent).compose(v -> {
        Promise<Void> settled = Promise.promise();
        vertx.setTimer(500, t -> settled.complete());
        return settled.future();
      });
    }).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      long grown = heapAfterGc() - heapBefore;
      // Allocating the declared 64 KiB per peer would hold 31 MiB here.
      assertTrue(grown < 16L * 1024 * 1024, "heap grew by " + grown / 1024 + " KiB for "
          + peers + " peers that sent 9 bytes each");
      ctx.completeNow();
    })));
  }

  @Test
  void dripFeedingPeersThatNeverCompleteAFrameAreClosedLikeSilentOnes(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    long tickMs = 50;
    int maxMissed = 4;
    int drippers = 100;
    Checkpoint closedInWindow = ctx.checkpoint(drippers);
    start(vertx, new JsonObject().put("tickMs", tickMs).put("maxMissed", maxMissed)
        .put("firstFrameTimeoutMs", 0)).onComplete(ctx.succeeding(service -> {
          // Judged on the server's clock: the window runs from accept, which a busy client
          // event loop would only see late.
          vertx.eventBus().<JsonObject>consumer(Addresses.CONNECTION_CLOSED, m -> ctx.verify(() -> {
            long openMs = m.body().getLong("openForMs");
            assertEquals("timeout", m.body().getString("reason"));
            assertEquals(openMs, m.body().getLong("sinceLastFrameMs"), "a drip counted as life");
            assertTrue(openMs >= maxMissed * tickMs, "closed after " + openMs + " ms");
            assertTrue(openMs <= (maxMissed + 1) * tickMs + tickMs + 150, "closed after " + openMs);
            closedInWindow.flag();
          }));
          for (int i = 0; i < drippers; i++) {
            client.connect(service.port(), "127.0.0.1").onComplete(ctx.succeeding(socket -> {
              // A header promising 1000 bytes, then one byte every half tick: never complete.
              socket.write(Buffer.buffer(header(1, 1000)));
              long drip = vertx.setPeriodic(tickMs / 2,
                  t -> socket.write(Buffer.buffer(new byte[1])));
              socket.closeHandler(v -> vertx.cancelTimer(drip));
            }));
          }
        }));
  }

  @Test
  void aFloodingClientDoesNotPushOtherVerdictsOutOfTheWindow(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    long tickMs = 100;
    int maxMissed = 4;
    int victims = 20;
    Checkpoint closedInWindow = ctx.checkpoint(victims);
    AtomicLong flooded = new AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean flooding =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicInteger closedVictims =
        new java.util.concurrent.atomic.AtomicInteger();
    start(vertx, new JsonObject().put("tickMs", tickMs).put("maxMissed", maxMissed))
        .onComplete(ctx.succeeding(service -> {
          // The flooder runs on its own threads with a blocking socket, like a separate client
          // process: 4096 heartbeats per write, as fast as the socket takes them, acks drained.
          Thread writer = new Thread(() -> flood(service.port(), flooding, flooded), "flooder");
          writer.setDaemon(true);
          writer.start();
          vertx.setTimer(200, t -> {
            for (int i = 0; i < victims; i++) {
              client.connect(service.port(), "127.0.0.1").onComplete(ctx.succeeding(victim -> {
                long[] lastFrame = new long[1];
                victim.write(Buffer.buffer(header(0, 0)))
                    .onSuccess(v -> lastFrame[0] = System.nanoTime());
                victim.closeHandler(v -> ctx.verify(() -> {
                  long ms = (System.nanoTime() - lastFrame[0]) / 1_000_000;
                  assertTrue(ms >= maxMissed * tickMs, "victim closed after " + ms + " ms");
                  assertTrue(ms <= (maxMissed + 1) * tickMs + tickMs + 150,
                      "victim closed after " + ms + " ms while the flood ran ("
                          + flooded.get() + " heartbeats)");
                  if (closedVictims.incrementAndGet() == victims) {
                    flooding.set(false);
                  }
                  closedInWindow.flag();
                }));
              }));
            }
          });
        }));
  }

  private static void flood(int port, java.util.concurrent.atomic.AtomicBoolean flooding,
      AtomicLong flooded) {
    byte[] burst = new byte[8 * 4096];
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      Thread drain = new Thread(() -> {
        byte[] sink = new byte[65_536];
        try {
          while (socket.getInputStream().read(sink) >= 0) {
            // Acks are read and dropped, so the server never sees a slow consumer.
          }
        } catch (java.io.IOException closed) {
          // The socket was closed when the flood ended.
        }
      }, "flood-drain");
      drain.setDaemon(true);
      drain.start();
      while (flooding.get()) {
        socket.getOutputStream().write(burst);
        flooded.addAndGet(4096);
      }
    } catch (java.io.IOException e) {
      // The test ended and closed the service: the flood is over.
    }
  }
}
