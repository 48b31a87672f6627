package io.heartbeat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.bus.LifecycleEvents;
import io.heartbeat.protocol.FrameType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The connection core without a socket: bytes in with the time they were read, writes and
 * verdicts out, as Netty tests its idle handler with a fake ticker.
 */
class ConnectionCoreTest {

  private static final long MS = 1_000_000;

  private final CoreHarness harness = new CoreHarness();
  private final CoreHarness.FakeOutput out = new CoreHarness.FakeOutput();

  /** Feeds {@code bytes} in chunks of {@code chunk} bytes, all read at {@code nowNanos}. */
  private static void feed(ConnectionCore core, ByteBuf bytes, int chunk, long nowNanos) {
    while (bytes.isReadable()) {
      ByteBuf piece = bytes.readSlice(Math.min(chunk, bytes.readableBytes()));
      core.onBytes(piece, nowNanos);
      assertFalse(piece.isReadable(), "the core consumes every byte it is given");
    }
  }

  @Test
  void acksEveryHeartbeatWhateverTheChunkSize() {
    for (int chunk = 1; chunk <= 40; chunk++) {
      CoreHarness.FakeOutput output = new CoreHarness.FakeOutput();
      ConnectionCore core = harness.open(output, 0);
      ByteBuf five = Unpooled.buffer();
      for (int i = 0; i < 5; i++) {
        five.writeBytes(harness.frame(FrameType.HEARTBEAT, null));
      }
      feed(core, five, chunk, 10 * MS);
      core.onReadComplete();
      assertEquals(List.of("ack", "ack", "ack", "ack", "ack", "flush"), output.log,
          "chunks of " + chunk);
      assertEquals(10 * MS, core.lastFrameNanos());
    }
  }

  @Test
  void aFrameCountsAsLifeAtTheReadThatCompletesIt() {
    ConnectionCore core = harness.open(out, 0);
    ByteBuf heartbeat = harness.frame(FrameType.HEARTBEAT, null);
    core.onBytes(heartbeat.readSlice(5), 100 * MS);
    assertEquals(0, core.lastFrameNanos(), "part of a header is no sign of life");
    assertFalse(core.hasCompletedFrame());
    core.onBytes(heartbeat, 250 * MS);
    assertEquals(250 * MS, core.lastFrameNanos());
    assertTrue(core.hasCompletedFrame());
  }

  @Test
  void aPayloadSplitAcrossReadsCountsOnlyOnceComplete() {
    ConnectionCore core = harness.open(out, 0);
    ByteBuf data = harness.frame(FrameType.DATA, new byte[100]);
    core.onBytes(data.readSlice(60), 10 * MS);
    assertEquals(0, core.lastFrameNanos());
    assertEquals(List.of(), harness.events);
    core.onBytes(data, 20 * MS);
    assertEquals(20 * MS, core.lastFrameNanos());
    assertEquals(List.of("active", "data 100"), harness.events);
  }

  @Test
  void dataIsNoSignOfLifeWhenDataCountsAsActivityIsOff() {
    CoreHarness off = new CoreHarness(new JsonObject().put("dataCountsAsActivity", false));
    ConnectionCore core = off.open(out, 0);
    core.onBytes(off.frame(FrameType.DATA, new byte[] {1}), 30 * MS);
    assertEquals(0, core.lastFrameNanos());
    assertEquals(List.of("data 1"), off.events, "still delivered to the application");
  }

  @Test
  void anIllegalHeaderClosesAtOnceWithNothingSentBack() {
    ConnectionCore core = harness.open(out, 0);
    ByteBuf bad = Unpooled.buffer().writeIntLE(9).writeIntLE(0)
        .writeBytes(harness.frame(FrameType.HEARTBEAT, null));
    core.onBytes(bad, 5 * MS);
    core.onReadComplete();
    assertEquals(List.of("flush", "close"), out.log, "no ack, no GOODBYE: only the close");
    assertEquals(List.of("protocol error UNKNOWN_TYPE"), harness.events);
    core.onClosed();
    assertEquals("closed " + LifecycleEvents.PROTOCOL_ERROR, harness.events.get(1));
  }

  @Test
  void aLengthAboveTheMaximumIsIllegalBeforeAnyPayloadArrives() {
    ConnectionCore core = harness.open(out, 0);
    core.onBytes(Unpooled.buffer().writeIntLE(FrameType.DATA).writeIntLE(65_537), 5 * MS);
    assertTrue(out.closed);
    assertEquals(List.of("protocol error LENGTH_TOO_LARGE"), harness.events);
  }

  @Test
  void noAcksWhenAckHeartbeatsIsOff() {
    CoreHarness off = new CoreHarness(new JsonObject().put("ackHeartbeats", false));
    ConnectionCore core = off.open(out, 0);
    core.onBytes(off.frame(FrameType.HEARTBEAT, null), MS);
    core.onReadComplete();
    assertEquals(List.of(), out.log);
    assertEquals(List.of("active", "heartbeat not acked"), off.events);
  }

  @Test
  void acksCarryTheApplicationsPayloadOnceSet() {
    ConnectionCore core = harness.open(out, 0);
    core.setAckFrame(harness.encoder.frameBytes(FrameType.HEARTBEAT_ACK, new byte[] {7}));
    core.onBytes(harness.frame(FrameType.HEARTBEAT, null), MS);
    assertEquals(List.of("ack+payload"), out.log);
  }

  @Test
  void acksToAPeerThatIsNotReadingAreDroppedWithoutMarkingIt() {
    ConnectionCore core = harness.open(out, 0);
    out.writable = false;
    core.onBytes(harness.frame(FrameType.HEARTBEAT, null), 7 * MS);
    core.onReadComplete();
    assertEquals(List.of(), out.log, "nothing queued");
    assertEquals(List.of("active", "heartbeat not acked"), harness.events);
    assertEquals(7 * MS, core.lastFrameNanos(), "the heartbeat still counts");
    assertFalse(core.isWatchedAsStoppedReading());
  }

  @Test
  void applicationDataAPeerDoesNotReadMarksItUntilItReadsAgain() {
    ConnectionCore core = harness.open(out, 0);
    byte[] data = harness.encoder.frameBytes(FrameType.DATA, new byte[] {1});
    assertTrue(core.sendApplicationFrame(data, MS));
    out.writable = false;
    assertFalse(core.sendApplicationFrame(data, 10 * MS));
    assertFalse(core.sendApplicationFrame(data, 20 * MS));
    assertEquals(List.of("stopped reading"), harness.events, "marked once");
    assertFalse(core.stoppedReadingFor(50 * MS, 50 * MS), "not yet a tick");
    assertTrue(core.stoppedReadingFor(50 * MS, 61 * MS));
    out.writable = true;
    assertFalse(core.stoppedReadingFor(50 * MS, 100 * MS), "reading again clears the mark");
    assertFalse(core.isWatchedAsStoppedReading());
  }

  @Test
  void aPeersGoodbyeIsASignOfLifeAndItsReasonIsReported() {
    ConnectionCore core = harness.open(out, 0);
    core.onBytes(harness.frame(FrameType.GOODBYE, "bye".getBytes(StandardCharsets.UTF_8)),
        40 * MS);
    assertEquals(40 * MS, core.lastFrameNanos());
    assertEquals(List.of("active", "goodbye bye"), harness.events);
  }

  @Test
  void aCloseSendsItsGoodbyeFirstAndTheFirstReasonWins() {
    ConnectionCore core = harness.open(out, 0);
    byte[] kicked = harness.encoder.frameBytes(FrameType.GOODBYE,
        "kicked".getBytes(StandardCharsets.UTF_8));
    core.close(LifecycleEvents.KICKED, kicked, 3 * MS);
    core.close(LifecycleEvents.SHUTDOWN, null, 4 * MS);
    assertEquals(List.of("GOODBYE:kicked", "flush", "close"), out.log);
    assertEquals(3 * MS, core.closeDecidedNanos());
    core.onBytes(harness.frame(FrameType.HEARTBEAT, null), 5 * MS);
    assertEquals(List.of("GOODBYE:kicked", "flush", "close"), out.log, "closing: no more acks");
    core.onClosed();
    assertEquals(List.of("closed kicked"), harness.events);
  }

  @Test
  void aDrainGoodbyeNamesTheCloseWhoeverClosesLater() {
    ConnectionCore core = harness.open(out, 0);
    core.sayGoodbye(LifecycleEvents.SHUTDOWN, harness.encoder.frameBytes(FrameType.GOODBYE,
        "shutdown".getBytes(StandardCharsets.UTF_8)));
    assertFalse(out.closed, "the peer is left to leave");
    core.onClosed();
    assertEquals(List.of("closed shutdown"), harness.events);
  }

  @Test
  void aPeerThatClosesFirstIsReportedAsPeerClosed() {
    ConnectionCore core = harness.open(out, 0);
    core.onClosed();
    assertEquals(List.of("closed " + LifecycleEvents.PEER_CLOSED), harness.events);
  }

  @Test
  void aSocketErrorClosesWithIoError() {
    ConnectionCore core = harness.open(out, 0);
    core.onIoError(new java.io.IOException("reset"));
    assertTrue(out.closed);
    core.onClosed();
    assertEquals(List.of("io error", "closed " + LifecycleEvents.IO_ERROR), harness.events);
  }

  @Test
  void probesGoOutFlushedButNotToAPeerThatIsNotReading() {
    ConnectionCore core = harness.open(out, 0);
    assertTrue(core.probe());
    out.writable = false;
    assertFalse(core.probe());
    assertEquals(List.of("probe", "flush"), out.log);
  }

  @Test
  void aConnectionIsReportedActiveOncePerActivityBatch() {
    ConnectionCore core = harness.open(out, 0);
    core.onBytes(harness.frame(FrameType.HEARTBEAT, null), MS);
    core.onBytes(harness.frame(FrameType.HEARTBEAT, null), 2 * MS);
    assertEquals(1, harness.events.stream().filter("active"::equals).count());
    assertEquals(1, io.heartbeat.bus.ActivityBatch.size(harness.registry.drainActivity(3 * MS)));
    core.onBytes(harness.frame(FrameType.HEARTBEAT, null), 4 * MS);
    assertEquals(2, harness.events.stream().filter("active"::equals).count());
  }
}
