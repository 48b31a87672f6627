package io.heartbeat.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.bus.CloseCommand;
import io.heartbeat.bus.CloseReply;
import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.bus.ProbeCommand;
import io.heartbeat.protocol.FrameType;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** An I/O instance's per-tick chores and timeout arbitration, on a clock the test moves. */
class TickChoresTest {

  private static final long MS = 1_000_000;
  private static final long TICK = 100 * MS;
  private static final long WINDOW = 5 * TICK;
  private static final byte[] GOODBYE = {3, 0, 0, 0, 0, 0, 0, 0};

  private final CoreHarness harness = new CoreHarness();

  /** Ticks on time from 0 to {@code nowNanos}: a loop that ran normally. */
  private void tickUntil(long nowNanos) {
    for (long t = TICK; t <= nowNanos; t += TICK) {
      assertEquals(0, harness.chores.tick(t, TICK));
    }
  }

  private ConnectionCore heardFrom(long atNanos) {
    ConnectionCore core = harness.open(new CoreHarness.FakeOutput(), 0);
    core.onBytes(harness.frame(FrameType.HEARTBEAT, null), atNanos);
    return core;
  }

  @Test
  void refusesACloseOneNanosecondInsideTheWindowAndClosesAtItsEdge() {
    ConnectionCore core = heardFrom(0);
    TickChores chores = harness.chores;
    tickUntil(WINDOW - 1);
    assertFalse(chores.timeoutDue(core, WINDOW - 1, TICK, WINDOW));
    assertTrue(chores.timeoutDue(core, WINDOW, TICK, WINDOW));
  }

  @Test
  void holdsTimeoutsForATickAfterItsOwnLoopStalled() {
    ConnectionCore core = heardFrom(0);
    TickChores chores = harness.chores;
    chores.tick(TICK, TICK);
    // The next tick comes 4 ticks late: the loop did not run, bytes may wait unread.
    assertEquals(500, chores.tick(6 * TICK, TICK));
    assertFalse(chores.timeoutDue(core, 6 * TICK, TICK, WINDOW), "held while recovering");
    assertFalse(chores.timeoutDue(core, 7 * TICK - 1, TICK, WINDOW));
    chores.tick(7 * TICK, TICK);
    assertTrue(chores.timeoutDue(core, 7 * TICK, TICK, WINDOW));
  }

  @Test
  void aCloseBatchClosesTheLongestSilentFirstAndRefusesTheRecentlyHeard() {
    ConnectionCore younger = heardFrom(50 * MS);
    ConnectionCore older = heardFrom(10 * MS);
    ConnectionCore recent = heardFrom(400 * MS);
    long unknown = 999;
    tickUntil(WINDOW + 60 * MS);
    AtomicLong clock = new AtomicLong(WINDOW + 60 * MS);
    CloseReply reply = harness.chores.closeIfSilent(CloseCommand.of(List.of(younger.id(),
        recent.id(), older.id(), unknown)), () -> clock.getAndAdd(MS), TICK, WINDOW, 5, GOODBYE);
    assertArrayEquals(new long[] {older.id(), younger.id()}, reply.closed());
    assertArrayEquals(new long[] {recent.id()}, reply.refused());
    assertEquals(160, reply.refusedIdleMs()[0]);
    assertArrayEquals(new long[] {unknown}, reply.unknown());
    assertTrue(older.closeDecidedNanos() < younger.closeDecidedNanos(), "each close its own time");
    assertEquals(5, older.missedTicksAtClose());
  }

  @Test
  void closesAConnectionWithoutAFirstFrameOnlyOnceItsTimeIsUp() {
    ConnectionCore silent = harness.open(new CoreHarness.FakeOutput(), 0);
    ConnectionCore talking = harness.open(new CoreHarness.FakeOutput(), 0);
    harness.chores.awaitFirstFrame(silent);
    harness.chores.awaitFirstFrame(talking);
    talking.onBytes(harness.frame(FrameType.HEARTBEAT, null), 10 * MS);
    harness.chores.closeWithoutFirstFrame(300 * MS - 1, 300 * MS);
    assertFalse(silent.isClosing());
    harness.chores.closeWithoutFirstFrame(300 * MS, 300 * MS);
    assertTrue(silent.isClosing());
    assertFalse(talking.isClosing());
    silent.onClosed();
    assertTrue(harness.events.contains("closed " + LifecycleEvents.FIRST_FRAME_TIMEOUT));
  }

  @Test
  void closesAPeerThatStoppedReadingApplicationDataForATick() {
    CoreHarness.FakeOutput out = new CoreHarness.FakeOutput();
    ConnectionCore core = harness.open(out, 0);
    out.writable = false;
    core.sendApplicationFrame(new byte[8], 10 * MS);
    harness.chores.closeSlowConsumers(10 * MS + TICK - 1, TICK);
    assertFalse(core.isClosing());
    harness.chores.closeSlowConsumers(10 * MS + TICK, TICK);
    assertTrue(core.isClosing());
    core.onClosed();
    assertTrue(harness.events.contains("closed " + LifecycleEvents.SLOW_CONSUMER));
  }

  @Test
  void forgetsAPeerThatReadsAgainBeforeTheTickIsOver() {
    CoreHarness.FakeOutput out = new CoreHarness.FakeOutput();
    ConnectionCore core = harness.open(out, 0);
    out.writable = false;
    core.sendApplicationFrame(new byte[8], 0);
    out.writable = true;
    harness.chores.closeSlowConsumers(TICK / 2, TICK);
    out.writable = false;
    harness.chores.closeSlowConsumers(2 * TICK, TICK);
    assertFalse(core.isClosing(), "the earlier mark was cleared when it read again");
  }

  @Test
  void probesOnlyConnectionsSilentLongEnough() {
    ConnectionCore silent = heardFrom(0);
    ConnectionCore talking = heardFrom(190 * MS);
    int sent = harness.chores.probe(ProbeCommand.of(List.of(silent.id(), talking.id(), 77L)),
        200 * MS, 190 * MS);
    assertEquals(1, sent);
  }
}
