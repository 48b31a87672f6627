package io.heartbeat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.Hello;
import io.heartbeat.protocol.Welcome;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client's side of protocol 1.1 sessions against a scripted server on port 0: the HELLO it
 * sends, the interval and window it takes from the WELCOME, and what it does after each refusal
 * and each broken opening.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class SessionClientTest {

  private static final String CLIENT_ID = "device-\u00e9-42";
  private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.e30.c2ln";
  /** Asked for in every HELLO; every grant differs from it. */
  private static final int REQUESTED_MS = 40;
  /** Granted: interval 100 ms, window 300 ms, tick 100 ms. */
  private static final Welcome GRANT = new Welcome(100, 300, 100, 77L);
  /** The option's own interval and timeout: far from the grant, so using them would show. */
  private static final long OPTION_INTERVAL_MS = 2000;
  private static final long OPTION_TIMEOUT_MS = 8000;
  private static final long BACKOFF_MS = 10;

  private final List<HeartbeatClient> clients = new ArrayList<>();

  @AfterEach
  void closeClients(VertxTestContext ctx) {
    List<Future<Void>> closing = new ArrayList<>();
    clients.forEach(c -> closing.add(c.close()));
    Future.all(closing).onComplete(ctx.succeedingThenComplete());
  }

  private static HeartbeatClientOptions options(int port) {
    return new HeartbeatClientOptions().setHost("127.0.0.1").setPort(port)
        .setClientId(CLIENT_ID).setRequestedIntervalMs(REQUESTED_MS).setToken(TOKEN)
        .setHeartbeatIntervalMs(OPTION_INTERVAL_MS).setServerTimeoutMs(OPTION_TIMEOUT_MS)
        .setReconnectInitialDelayMs(BACKOFF_MS).setReconnectMaxDelayMs(BACKOFF_MS * 16);
  }

  private HeartbeatClient client(Vertx vertx, HeartbeatClientOptions options) {
    // Random source 0.999..: every delay is (almost) its bound, so the bounds are what is seen.
    HeartbeatClient client = HeartbeatClient.create(vertx, options, () -> 0.9999);
    clients.add(client);
    return client;
  }

  /** Welcomes the HELLO with {@link #GRANT} and acks every heartbeat. */
  private static void welcomeAndAck(ScriptedSessionServer.Peer peer,
      ScriptedSessionServer.Frame frame) {
    if (frame.type() == FrameType.HELLO) {
      peer.welcome(GRANT);
    } else if (frame.type() == FrameType.HEARTBEAT) {
      peer.send(FrameType.HEARTBEAT_ACK, null);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
  void sendsHelloAsTheFirstFrameWithTheOptionsFieldsInTheConfiguredByteOrder(String orderName,
      Vertx vertx, VertxTestContext ctx) {
    ByteOrder order = "BIG_ENDIAN".equals(orderName) ? ByteOrder.BIG_ENDIAN
        : ByteOrder.LITTLE_ENDIAN;
    ScriptedSessionServer.start(vertx, order, (peer, frame) -> {
      if (peer.frames.size() == 1) {
        ctx.verify(() -> {
          assertEquals(FrameType.HELLO, frame.type(), "first frame");
          byte[] typeBytes = order == ByteOrder.LITTLE_ENDIAN ? new byte[] {4, 0, 0, 0}
              : new byte[] {0, 0, 0, 4};
          assertEquals(Buffer.buffer(typeBytes), peer.firstHeader.getBuffer(0, 4),
              "HELLO's type on the wire");
          Hello hello = Hello.decode(Unpooled.wrappedBuffer(frame.payload().getBytes()), order,
              4096);
          assertEquals(new Hello(REQUESTED_MS, CLIENT_ID, TOKEN), hello);
        });
        peer.welcome(GRANT);
      }
    }).onComplete(ctx.succeeding(server -> {
      HeartbeatClient client = client(vertx, options(server.port()).setByteOrder(order));
      client.connectionOpenedHandler(opened -> ctx.verify(() -> {
        SessionGrant expected = new SessionGrant(GRANT.intervalMs(), GRANT.closeAfterMs(),
            GRANT.tickMs(), GRANT.connectionId());
        assertEquals(expected, opened.session());
        assertEquals(expected, client.session());
        assertTrue(client.isConnected());
        assertFalse(opened.reconnect());
        ctx.completeNow();
      }));
      client.connect().onComplete(ctx.succeeding(v -> { }));
    }));
  }

  @Test
  void heartbeatsAtTheGrantedIntervalNotTheRequestedOne(Vertx vertx, VertxTestContext ctx) {
    int wanted = 6;
    ScriptedSessionServer.start(vertx, ByteOrder.LITTLE_ENDIAN, (peer, frame) -> {
      welcomeAndAck(peer, frame);
      List<ScriptedSessionServer.Frame> beats = peer.frames(FrameType.HEARTBEAT);
      if (frame.type() == FrameType.HEARTBEAT && beats.size() == wanted) {
        ctx.verify(() -> {
          // Gaps between arrivals; an arrival may lag its send by a scheduling delay of the
          // server's event loop, hence the 10 ms below the grant. A client that used the 40 ms
          // it asked for would show gaps near 40; one that used its own option, near 2000.
          for (int i = 1; i < beats.size(); i++) {
            long gapMs = (beats.get(i).atNanos() - beats.get(i - 1).atNanos()) / 1_000_000;
            assertTrue(gapMs >= GRANT.intervalMs() - 10, "gap " + i + " was " + gapMs + " ms");
            assertTrue(gapMs < OPTION_INTERVAL_MS, "gap " + i + " was " + gapMs + " ms");
          }
        });
        ctx.completeNow();
      }
    }).onComplete(ctx.succeeding(server -> {
      HeartbeatClient client = client(vertx, options(server.port()));
      client.disconnectedHandler(r -> ctx.failNow("disconnected: " + r));
      client.connect().onComplete(ctx.succeeding(v -> { }));
    }));
  }

  @Test
  void judgesASilentServerDeadByTheGrantedWindowNotByServerTimeoutMs(Vertx vertx,
      VertxTestContext ctx) {
    long[] welcomedAt = {0};
    ScriptedSessionServer.start(vertx, ByteOrder.LITTLE_ENDIAN, (peer, frame) -> {
      if (frame.type() == FrameType.HELLO) {
        welcomedAt[0] = System.nanoTime();
        peer.welcome(GRANT);  // and never a word after
      }
    }).onComplete(ctx.succeeding(server -> {
      HeartbeatClient client = client(vertx, options(server.port()));
      client.disconnectedHandler(reason -> ctx.verify(() -> {
        long afterMs = (System.nanoTime() - welcomedAt[0]) / 1_000_000;
        long deadAfterMs = GRANT.intervalMs() + GRANT.closeAfterMs() + 2L * GRANT.tickMs();
        assertEquals(DisconnectReason.Kind.SERVER_TIMEOUT, reason.kind(), reason.toString());
        assertTrue(afterMs >= deadAfterMs, "judged dead " + afterMs + " ms after the WELCOME");
        ScriptedSessionServer.Peer peer = server.peers().get(0);
        assertEquals(1, peer.frames(FrameType.HEARTBEAT).size(),
            "heartbeats sent to a server that never answered");
        ctx.completeNow();
      }));
      client.connect().onComplete(ctx.succeeding(v -> { }));
    }));
  }

  @Test
  void keepsALiveServerThatProbesInsteadOfAckingOverManyWindows(Vertx vertx,
      VertxTestContext ctx) {
    // The server acks nothing; like the service with probeAfterMissed 2, it probes a client
    // that has been silent for two ticks. Only the probes keep the client's verdict away.
    long probeAfterMs = 2L * GRANT.tickMs();
    long deadAfterMs = GRANT.intervalMs() + GRANT.closeAfterMs() + 2L * GRANT.tickMs();
    int windows = 4;
    long[] probeTimer = {-1};
    int[] probes = {0};
    ScriptedSessionServer.start(vertx, ByteOrder.LITTLE_ENDIAN, (peer, frame) -> {
      if (frame.type() == FrameType.HELLO) {
        peer.welcome(GRANT);
      }
      vertx.cancelTimer(probeTimer[0]);
      probeTimer[0] = vertx.setTimer(probeAfterMs, t -> {
        probes[0]++;
        peer.send(FrameType.HEARTBEAT, null);
      });
    }).onComplete(ctx.succeeding(server -> {
      HeartbeatClient client = client(vertx, options(server.port()));
      client.disconnectedHandler(r -> ctx.failNow("dropped a live server: " + r));
      client.ackHandler(b -> ctx.failNow("this server never acks"));
      client.connect().onComplete(ctx.succeeding(v -> vertx.setTimer(windows * deadAfterMs,
          t -> ctx.verify(() -> {
            assertTrue(client.isConnected());
            long answered = client.probesAnswered();
            assertTrue(answered >= windows, "probes answered in " + windows + " windows: "
                + answered + " of " + probes[0]);
            vertx.cancelTimer(probeTimer[0]);
            ctx.completeNow();
          }))));
    }));
  }

  @Test
  void judgesTheServerDeadWhenNoWelcomeComesWithinServerTimeoutMs(Vertx vertx,
      VertxTestContext ctx) {
    long timeoutMs = 300;
    ScriptedSessionServer.start(vertx, ByteOrder.LITTLE_ENDIAN, (peer, frame) -> { })
        .onComplete(ctx.succeeding(server -> {
          HeartbeatClient client = client(vertx, options(server.port())
              .setHeartbeatIntervalMs(100).setServerTimeoutMs(timeoutMs));
          long start = System.nanoTime();
          client.disconnectedHandler(reason -> ctx.verify(() -> {
            long afterMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(DisconnectReason.Kind.SERVER_TIMEOUT, reason.kind(), reason.toString());
            assertTrue(reason.detail().contains("no WELCOME"), reason.toString());
            assertTrue(afterMs >= timeoutMs, "after " + afterMs + " ms");
            assertFalse(client.isConnected());
            ScriptedSessionServer.Peer peer = server.peers().get(0);
            peer.closed.future().onComplete(v -> ctx.verify(() -> {
              assertEquals(List.of(FrameType.HELLO, FrameType.GOODBYE),
                  peer.frames.stream().map(ScriptedSessionServer.Frame::type).toList(),
                  "no heartbeat before the WELCOME");
              ctx.completeNow();
            }));
          }));
          client.connect();
        }));
  }

  @Test
  void versionOneClientSendsNoHello(Vertx vertx, VertxTestContext ctx) {
    ScriptedSessionServer.start(vertx, ByteOrder.LITTLE_ENDIAN, (peer, frame) -> {
      ctx.verify(() -> assertEquals(FrameType.HEARTBEAT, frame.type(), "first frame"));
      ctx.completeNow();
    }).onComplete(ctx.succeeding(server -> {
      HeartbeatClient client = client(vertx, new HeartbeatClientOptions().setHost("127.0.0.1")
          .setPort(server.port()).setHeartbeatIntervalMs(50).setServerTimeoutMs(1000));
      client.connectionOpenedHandler(opened -> ctx.verify(() -> {
        assertNull(opened.session());
        assertNull(client.session());
      }));
      client.connect().onComplete(ctx.succeeding(v -> { }));
    }));
  }

  /**
   * Waits well past every reconnect delay the options allow (16 bounds of the largest), then
   * checks that the server saw {@code connections} connections and the client set no timer.
   */
  private static void assertStaysAway(Vertx vertx, VertxTestContext ctx, HeartbeatClient client,
      ScriptedSessionServer server, int connections) {
    vertx.setTimer(16 * BACKOFF_MS * 16, t -> ctx.verify(() -> {
      assertEquals(connections, server.peers().size(), "connections the server saw");
      assertFalse(client.isConnected());
      assertEquals(0, client.pendingTimers(), "a reconnect is pending");
      ctx.completeNow();
    }));
  }

  @Test
  void reportsReplacedAndDoesNotReconnect(Vertx vertx, VertxTestContext ctx) {
    ScriptedSessionServer.start(vertx, ByteOrder.LITTLE_ENDIAN, (peer, frame) -> {
      if (frame.type() == FrameType.HELLO) {
        peer.welcome(GRANT);
        peer.goodbyeAndClose(DisconnectReason.GOODBYE_REPLACED);
      }
    }).onComplete(ctx.succeeding(server -> {
      HeartbeatClient client = client(vertx, options(server.port()));
      client.reconnectScheduledHandler(r -> ctx.failNow("reconnect scheduled: " + r));
      client.disconnectedHandler(reason -> {
        ctx.verify(() -> assertTrue(reason.isGoodbye(DisconnectReason.GOODBYE_REPLACED),
            reason.toString()));
        assertStaysAway(vertx, ctx, client, server, 1);
      });
      client.connect().onComplete(ctx.succeeding(v -> { }));
    }));
  }

  @Test
  void reconnectsAfterReplacedWhenConfiguredTo(Vertx vertx, VertxTestContext ctx) {
    ScriptedSessionServer.start(vertx, ByteOrder.LITTLE_ENDIAN, (peer, frame) -> {
      if (frame.type() == FrameType.HELLO) {
        peer.welcome(GRANT);
        if (peer.number == 1) {
          peer.goodbyeAndClose(DisconnectReason.GOODBYE_REPLACED);
        }
      }
    }).onComplete(ctx.succeeding(server -> {
      HeartbeatClient client = client(vertx, options(server.port())
          .setReconnectAfterReplaced(true));
      client.connectionOpenedHandler(opened -> {
        if (opened.connectionNumber() == 2) {
          ctx.verify(() -> assertEquals(FrameType.HELLO,
              server.peers().get(1).frames.get(0).type(), "first frame of the reconnect"));
          ctx.completeNow();
        }
      });
      client.connect().onComplete(ctx.succeeding(v -> { }));
    }));
  }

  @Test
  void anUnauthorizedRefusalFailsConnectAndTheClientStaysAway(Vertx vertx,
      VertxTestContext ctx) {
    ScriptedSessionServer.start(vertx, ByteOrder.LITTLE_ENDIAN, (peer, frame) -> {
      if (frame.type() == FrameType.HELLO) {
        peer.goodbyeAndClose(DisconnectReason.GOODBYE_UNAUTHORIZED);
      }
    }).onComplete(ctx.succeeding(server -> {
      HeartbeatClient client = client(vertx, options(server.port()));
      client.connectionOpenedHandler(o -> ctx.failNow("opened without a WELCOME"));
      client.reconnectScheduledHandler(r -> ctx.failNow("reconnect scheduled: " + r));
      List<DisconnectReason> reasons = new ArrayList<>();
      client.disconnectedHandler(reasons::add);
      client.connect().onComplete(ctx.failing(e -> {
        ctx.verify(() -> assertTrue(e.getMessage().contains("unauthorized"), e.getMessage()));
        // The handler hears of it just after the future fails, in the same turn.
        vertx.runOnContext(v -> ctx.verify(() -> assertEquals(List.of(
            DisconnectReason.goodbye(DisconnectReason.GOODBYE_UNAUTHORIZED)), reasons)));
        assertStaysAway(vertx, ctx, client, server, 1);
      }));
    }));
  }

  @Test
  void flappingRefusalsReconnectWithAGrowingBackoff(Vertx vertx, VertxTestContext ctx) {
    int refusals = 3;
    ScriptedSessionServer.start(vertx, ByteOrder.LITTLE_ENDIAN, (peer, frame) -> {
      if (frame.type() == FrameType.HELLO && peer.number <= refusals) {
        peer.goodbyeAndClose(DisconnectReason.GOODBYE_FLAPPING);
      } else {
        welcomeAndAck(peer, frame);
      }
    }).onComplete(ctx.succeeding(server -> {
      HeartbeatClient client = client(vertx, options(server.port()));
      List<ReconnectScheduled> waits = new ArrayList<>();
      List<DisconnectReason> reasons = new ArrayList<>();
      client.reconnectScheduledHandler(waits::add);
      client.disconnectedHandler(reasons::add);
      client.connect().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertEquals(refusals + 1, server.peers().size());
        DisconnectReason flapping = DisconnectReason.goodbye(DisconnectReason.GOODBYE_FLAPPING);
        assertEquals(List.of(flapping, flapping, flapping), reasons);
        // One backoff step per refusal, as for a failed pass (the refused connection was pass
        // n, the wait precedes pass n + 1): bounds 10, 20, 40 ms.
        assertEquals(List.of(2, 3, 4), waits.stream().map(ReconnectScheduled::attempt).toList());
        assertEquals(List.of(BACKOFF_MS, 2 * BACKOFF_MS, 4 * BACKOFF_MS),
            waits.stream().map(ReconnectScheduled::boundMs).toList());
        for (ReconnectScheduled wait : waits) {
          assertTrue(wait.cause().contains("flapping"), wait.cause());
        }
        assertEquals(GRANT.intervalMs(), client.session().intervalMs());
        ctx.completeNow();
      })));
    }));
  }

  /** A server that answers the HELLO with these WELCOME frame bytes (header included). */
  private void assertProtocolErrorAfter(Vertx vertx, VertxTestContext ctx,
      HeartbeatClientOptions base, Buffer welcomeBytes, boolean afterGoodWelcome,
      String expectedDetail) {
    ScriptedSessionServer.start(vertx, ByteOrder.LITTLE_ENDIAN, (peer, frame) -> {
      if (peer.frames.size() == 1) {
        if (afterGoodWelcome) {
          peer.welcome(GRANT);
        }
        peer.socket.write(welcomeBytes);
      }
    }).onComplete(ctx.succeeding(server -> {
      HeartbeatClient client = client(vertx, new HeartbeatClientOptions(base)
          .setPort(server.port()));
      client.disconnectedHandler(reason -> {
        ctx.verify(() -> {
          assertEquals(DisconnectReason.Kind.PROTOCOL_ERROR, reason.kind(), reason.toString());
          assertTrue(reason.detail().contains(expectedDetail), reason.toString());
        });
        server.peers().get(0).closed.future().onComplete(v -> ctx.verify(() -> {
          assertEquals(List.of(), server.peers().get(0).frames(FrameType.GOODBYE),
              "the client answered a protocol error");
          ctx.completeNow();
        }));
      });
      client.connect();
    }));
  }

  private static Buffer frame(int type, byte[] payload) {
    return Buffer.buffer(io.netty.buffer.ByteBufUtil.getBytes(
        new io.heartbeat.protocol.FrameEncoder(ByteOrder.LITTLE_ENDIAN).encode(type, payload)));
  }

  @Test
  void aWelcomeOfTheWrongLengthIsAProtocolError(Vertx vertx, VertxTestContext ctx) {
    byte[] shortPayload = java.util.Arrays.copyOf(GRANT.payload(ByteOrder.LITTLE_ENDIAN), 16);
    assertProtocolErrorAfter(vertx, ctx, options(1), frame(FrameType.WELCOME, shortPayload),
        false, "length 16 is not 20");
  }

  @Test
  void aWelcomeWithAZeroIntervalIsAProtocolError(Vertx vertx, VertxTestContext ctx) {
    byte[] payload = new Welcome(0, 300, 100, 1).payload(ByteOrder.LITTLE_ENDIAN);
    assertProtocolErrorAfter(vertx, ctx, options(1), frame(FrameType.WELCOME, payload), false,
        "durations must be positive");
  }

  @Test
  void aSecondWelcomeIsAProtocolError(Vertx vertx, VertxTestContext ctx) {
    assertProtocolErrorAfter(vertx, ctx, options(1),
        frame(FrameType.WELCOME, GRANT.payload(ByteOrder.LITTLE_ENDIAN)), true,
        "a second WELCOME");
  }

  @Test
  void aWelcomeToAClientThatSentNoHelloIsAProtocolError(Vertx vertx, VertxTestContext ctx) {
    HeartbeatClientOptions versionOne = new HeartbeatClientOptions().setHost("127.0.0.1")
        .setHeartbeatIntervalMs(50).setServerTimeoutMs(1000);
    assertProtocolErrorAfter(vertx, ctx, versionOne,
        frame(FrameType.WELCOME, GRANT.payload(ByteOrder.LITTLE_ENDIAN)), false,
        "sent no HELLO");
  }
}
