package io.heartbeat.bus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The monitor's close and probe records survive the trip through a Buffer, and junk fails. */
class CommandRecordsTest {

  @Test
  void aCloseCommandRoundTrips() {
    long[] ids = {1L, Long.MAX_VALUE, -5L};
    assertArrayEquals(ids, CloseCommand.fromBuffer(
        CloseCommand.of(List.of(1L, Long.MAX_VALUE, -5L)).toBuffer()).ids());
  }

  @Test
  void aProbeCommandRoundTripsEvenWhenEmpty() {
    assertArrayEquals(new long[0], ProbeCommand.fromBuffer(ProbeCommand.of(List.of()).toBuffer())
        .ids());
  }

  @Test
  void aCloseReplyRoundTripsEveryList() {
    CloseReply reply = new CloseReply.Builder(4).closed(1).refused(2, 150).refused(3,
        Long.MAX_VALUE).unknown(4).build();
    CloseReply back = CloseReply.fromBuffer(reply.toBuffer());
    assertArrayEquals(new long[] {1}, back.closed());
    assertArrayEquals(new long[] {2, 3}, back.refused());
    assertArrayEquals(new int[] {150, Integer.MAX_VALUE}, back.refusedIdleMs());
    assertArrayEquals(new long[] {4}, back.unknown());
  }

  @Test
  void aTruncatedOrLyingBufferIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> CloseCommand.fromBuffer(Buffer.buffer().appendInt(3).appendLong(1)));
    assertThrows(IllegalArgumentException.class,
        () -> CloseReply.fromBuffer(Buffer.buffer().appendInt(0)));
    assertThrows(IllegalArgumentException.class,
        () -> ProbeCommand.fromBuffer(Buffer.buffer().appendInt(-1)));
  }
}
