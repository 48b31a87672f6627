package io.heartbeat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The failover order over a server list, without sockets. */
class ServerCursorTest {

  private static final ServerAddress A = new ServerAddress("a", 1);
  private static final ServerAddress B = new ServerAddress("b", 2);
  private static final ServerAddress C = new ServerAddress("c", 3);

  @Test
  void aPassTriesEveryServerOnceInOrderAndEndsWhereItBegan() {
    ServerCursor cursor = new ServerCursor(List.of(A, B, C));
    assertEquals(A, cursor.current());
    assertFalse(cursor.failed("refused"));
    assertEquals(B, cursor.current());
    assertFalse(cursor.failed("timed out"));
    assertEquals(C, cursor.current());
    assertTrue(cursor.failed("refused"), "the third failure ends the pass");
    assertEquals(A, cursor.current(), "the next pass starts where this one began");
    assertEquals("a:1: refused; b:2: timed out; c:3: refused", cursor.endPass());
    assertFalse(cursor.failed("refused"), "a new pass after endPass");
  }

  @Test
  void afterALostConnectionThePassStartsWithTheNextServerAndWraps() {
    ServerCursor cursor = new ServerCursor(List.of(A, B, C));
    cursor.failed("refused");
    cursor.failed("refused");
    cursor.connected();
    assertEquals(2, cursor.index());
    cursor.disconnected();
    assertEquals(A, cursor.current(), "wraps after the last server");
    assertFalse(cursor.failed("refused"));
    assertFalse(cursor.failed("refused"));
    assertTrue(cursor.failed("refused"), "a full pass of three after the disconnect");
    assertEquals(A, cursor.current());
  }

  @Test
  void oneServerIsAPassOfOneAndItsCauseHasNoAddress() {
    ServerCursor cursor = new ServerCursor(List.of(A));
    assertTrue(cursor.failed("refused"));
    assertEquals("refused", cursor.endPass());
    cursor.disconnected();
    assertEquals(A, cursor.current());
  }

  @Test
  void restartGoesBackToTheFirstServer() {
    ServerCursor cursor = new ServerCursor(List.of(A, B));
    cursor.failed("refused");
    cursor.restart();
    assertEquals(A, cursor.current());
    assertFalse(cursor.failed("refused"), "restart begins a new pass");
  }
}
