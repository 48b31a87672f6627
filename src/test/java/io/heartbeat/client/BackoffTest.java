package io.heartbeat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void boundGrowsByTheMultiplierUpToTheCap() {
    Backoff backoff = new Backoff(100, 2.0, 1000, () -> 0.5);
    assertEquals(100, backoff.boundMs(0));
    assertEquals(200, backoff.boundMs(1));
    assertEquals(800, backoff.boundMs(3));
    assertEquals(1000, backoff.boundMs(4));
    assertEquals(1000, backoff.boundMs(10_000));
  }

  @Test
  void delaysAreFullJitterOverTheWholeBound() {
    Backoff low = new Backoff(100, 2.0, 1000, () -> 0.0);
    Backoff high = new Backoff(100, 2.0, 1000, () -> 0.9999999);
    long[] expectedHigh = {100, 200, 400, 800, 1000, 1000};
    for (long bound : expectedHigh) {
      assertEquals(0, low.nextDelayMs());
      assertEquals(bound, high.nextDelayMs());
    }
  }

  @Test
  void everyDelayStaysInsideItsBound() {
    Random random = new Random(42);
    Backoff backoff = new Backoff(10, 3.0, 5000, random::nextDouble);
    for (int n = 0; n < 200; n++) {
      long bound = backoff.boundMs(backoff.attempts());
      long delay = backoff.nextDelayMs();
      if (delay < 0 || delay > bound) {
        throw new AssertionError("attempt " + n + ": delay " + delay + " outside 0.." + bound);
      }
    }
  }

  @Test
  void resetStartsAgainFromTheInitialBound() {
    Backoff backoff = new Backoff(50, 2.0, 1000, () -> 0.9999999);
    backoff.nextDelayMs();
    backoff.nextDelayMs();
    assertEquals(2, backoff.attempts());
    backoff.reset();
    assertEquals(0, backoff.attempts());
    assertEquals(50, backoff.nextDelayMs());
  }

  @Test
  void jitterIsNotCountedAsAnAttempt() {
    Backoff backoff = new Backoff(50, 2.0, 1000, () -> 0.25);
    assertEquals(2500, backoff.jitter(10_000));
    assertEquals(0, backoff.attempts());
  }

  @Test
  void multiplierOfOneGivesAConstantBound() {
    Backoff backoff = new Backoff(300, 1.0, 300, () -> 0.9999999);
    for (int i = 0; i < 5; i++) {
      assertEquals(300, backoff.nextDelayMs());
    }
  }

  @Test
  void rejectsInconsistentParameters() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(-1, 2.0, 10, () -> 0));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(100, 2.0, 10, () -> 0));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(1, 0.5, 10, () -> 0));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(1, Double.NaN, 10, () -> 0));
  }
}
