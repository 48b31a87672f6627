package io.heartbeat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.bus.ActivityBatch;
import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.Hello;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Protocol 1.1 in the connection core, without a socket: where a HELLO may come, what a
 * malformed or misplaced session frame does, WELCOME, and the per-connection window that
 * follows it.
 */
class SessionCoreTest {

  private static final long MS = 1_000_000;
  private static final long TICK = 100 * MS;
  private static final long WINDOW = 5 * TICK;

  private final CoreHarness harness = new CoreHarness();
  private final CoreHarness.FakeOutput out = new CoreHarness.FakeOutput();

  private ByteBuf hello(String clientId, int intervalMs) {
    return harness.frame(FrameType.HELLO,
        new Hello(intervalMs, clientId, "").payload(ByteOrder.LITTLE_ENDIAN));
  }

  @Test
  void aHelloAsFirstFrameIsHandedToTheInstanceWhateverTheChunkSize() {
    for (int chunk = 1; chunk <= 30; chunk++) {
      CoreHarness h = new CoreHarness();
      CoreHarness.FakeOutput output = new CoreHarness.FakeOutput();
      ConnectionCore core = h.open(output, 0);
      ByteBuf bytes = hello("meter-7", 600);
      while (bytes.isReadable()) {
        core.onBytes(bytes.readSlice(Math.min(chunk, bytes.readableBytes())), 40 * MS);
      }
      assertEquals(List.of("active", "hello meter-7 600"), h.events, "chunks of " + chunk);
      assertEquals(40 * MS, core.lastFrameNanos(), "a HELLO is a sign of life");
      assertEquals(List.of(), output.log, "nothing is written before the session is open");
    }
  }

  @Test
  void aMalformedHelloIsIllegalInputClosedWithNothingSentBack() {
    ConnectionCore core = harness.open(out, 0);
    // N = 0: no client id.
    ByteBuf bad = Unpooled.buffer().writeIntLE(FrameType.HELLO).writeIntLE(8)
        .writeIntLE(600).writeShortLE(0).writeShortLE(0);
    core.onBytes(bad, 5 * MS);
    assertEquals(List.of("flush", "close"), out.log);
    assertEquals(List.of("protocol error MALFORMED_SESSION_FRAME"), harness.events);
  }

  @Test
  void aHelloAfterAnotherFrameIsMisplaced() {
    ConnectionCore core = harness.open(out, 0);
    core.onBytes(harness.frame(FrameType.HEARTBEAT, null), MS);
    core.onBytes(hello("late", 0), 2 * MS);
    assertEquals("protocol error MISPLACED_SESSION_FRAME", harness.events.get(2));
    assertTrue(out.closed);
    assertFalse(out.log.contains("frame:5"));
  }

  @Test
  void aSecondHelloIsMisplaced() {
    ConnectionCore core = harness.open(out, 0);
    core.onBytes(hello("twice", 0), MS);
    core.onBytes(hello("twice", 0), 2 * MS);
    assertEquals(List.of("active", "hello twice 0", "protocol error MISPLACED_SESSION_FRAME"),
        harness.events);
    assertTrue(out.closed);
  }

  @Test
  void aWelcomeFromTheClientIsMisplaced() {
    ConnectionCore core = harness.open(out, 0);
    core.onBytes(harness.frame(FrameType.WELCOME, new byte[20]), MS);
    assertEquals(List.of("protocol error MISPLACED_SESSION_FRAME"), harness.events);
    assertEquals(List.of("flush", "close"), out.log, "closed with nothing sent back");
  }

  @Test
  void whenSessionsAreRequiredAFirstFrameThatIsNotHelloGetsGoodbyeUnauthorized() {
    CoreHarness required = new CoreHarness(new JsonObject().put("session.required", true));
    ConnectionCore core = required.open(out, 0);
    core.onBytes(required.frame(FrameType.HEARTBEAT, null), MS);
    assertEquals(List.of("GOODBYE:unauthorized", "flush", "close"), out.log, "no ack");
    assertEquals(List.of("refused unauthorized"), required.events);
    core.onClosed();
    assertEquals("closed " + LifecycleEvents.UNAUTHORIZED, required.events.get(1));
  }

  @Test
  void dataBeforeWelcomeIsDroppedWhenSessionsAreRequired() {
    CoreHarness required = new CoreHarness(new JsonObject().put("session.required", true));
    ConnectionCore core = required.open(out, 0);
    core.onBytes(required.frame(FrameType.HELLO,
        new Hello(0, "early", "").payload(ByteOrder.LITTLE_ENDIAN)), MS);
    core.onBytes(required.frame(FrameType.DATA, new byte[3]), 2 * MS);
    assertEquals(List.of("active", "hello early 0", "data before welcome"), required.events);
    assertFalse(out.closed);
  }

  @Test
  void welcomeWritesTheFrameAndTheNextActivityBatchCarriesTheInterval() {
    ConnectionCore core = harness.open(out, 0);
    core.onBytes(hello("cam-1", 600), MS);
    assertEquals(1, ActivityBatch.intervalTicksAt(harness.registry.drainActivity(2 * MS), 0),
        "a session being opened is judged like version 1 until WELCOME");
    assertTrue(core.welcome(new byte[] {5, 0, 0, 0, 0, 0, 0, 0}, 6, "cam-1", MS));
    assertEquals(List.of("frame:5", "flush"), out.log);
    assertEquals("cam-1", core.clientId());
    Buffer batch = harness.registry.drainActivity(3 * MS);
    assertEquals(1, ActivityBatch.size(batch), "WELCOME reports the connection again");
    assertEquals(6, ActivityBatch.intervalTicksAt(batch, 0));
    assertEquals(2, ActivityBatch.ageMsAt(batch, 0), "aged from the HELLO, its last frame");
    assertEquals(6, ActivityBatch.intervalTicksAt(harness.registry.snapshot(4 * MS), 0),
        "a resync snapshot carries the interval too");
  }

  @Test
  void noWelcomeAfterTheConnectionStartedClosing() {
    ConnectionCore core = harness.open(out, 0);
    core.onBytes(hello("gone", 0), MS);
    core.close(LifecycleEvents.PEER_CLOSED, null, 2 * MS);
    assertFalse(core.welcome(new byte[8], 2, "gone", 3 * MS));
    assertNull(core.clientId());
  }

  @Test
  void aSessionBeingOpenedIsNotClosedForSilenceAndItsWindowRestartsAtWelcome() {
    ConnectionCore session = harness.open(out, 0);
    session.onBytes(hello("waiting", 0), 0);
    for (long t = TICK; t <= 3 * WINDOW; t += TICK) {
      harness.chores.tick(t, TICK);
    }
    assertFalse(harness.chores.timeoutDue(session, 3 * WINDOW, TICK, WINDOW),
        "the server is still opening the session: the client waits for it");
    session.welcome(new byte[8], 1, "waiting", 3 * WINDOW);
    assertEquals(3 * WINDOW, session.lastFrameNanos());
    for (long t = 3 * WINDOW + TICK; t <= 4 * WINDOW; t += TICK) {
      harness.chores.tick(t, TICK);
    }
    assertFalse(harness.chores.timeoutDue(session, 4 * WINDOW - 1, TICK, WINDOW));
    assertTrue(harness.chores.timeoutDue(session, 4 * WINDOW, TICK, WINDOW));
  }

  @Test
  void aSessionsTimeoutWindowScalesWithItsIntervalInTicks() {
    ConnectionCore v1 = harness.open(new CoreHarness.FakeOutput(), 0);
    v1.onBytes(harness.frame(FrameType.HEARTBEAT, null), 0);
    ConnectionCore session = harness.open(out, 0);
    session.onBytes(hello("slow", 300), 0);
    session.welcome(new byte[8], 3, "slow", 0);
    for (long t = TICK; t <= 3 * WINDOW; t += TICK) {
      harness.chores.tick(t, TICK);
    }
    assertTrue(harness.chores.timeoutDue(v1, WINDOW, TICK, WINDOW));
    assertFalse(harness.chores.timeoutDue(session, 3 * WINDOW - 1, TICK, WINDOW));
    assertTrue(harness.chores.timeoutDue(session, 3 * WINDOW, TICK, WINDOW));
  }
}
