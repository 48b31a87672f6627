package io.heartbeat.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.config.HeartbeatConfig;
import org.junit.jupiter.api.Test;

/**
 * The flapping guard with chosen times: the edges of the window and of the ban, the counter,
 * and the bounds on memory.
 */
class FlapGuardTest {

  private static final long WINDOW_MS = 60_000;
  private static final long BAN_MS = 300_000;

  private final FlapGuard guard = new FlapGuard(3, WINDOW_MS, BAN_MS, 100);

  @Test
  void refusesTheConnectBeyondTheLimitWithinTheWindow() {
    assertTrue(guard.admit("d", 0));
    assertTrue(guard.admit("d", 10));
    assertTrue(guard.admit("d", WINDOW_MS - 2));

    assertFalse(guard.admit("d", WINDOW_MS - 1), "4th connect 1 ms inside the window");
    assertEquals(1, guard.refusals());
  }

  @Test
  void aConnectExactlyOneWindowOldNoLongerCounts() {
    guard.admit("d", 0);
    guard.admit("d", 10);
    guard.admit("d", 20);

    assertTrue(guard.admit("d", WINDOW_MS), "the connect at 0 left the window at 60,000");
    assertFalse(guard.admit("d", WINDOW_MS + 9), "10, 20 and 60,000 still count");
    assertEquals(1, guard.refusals());
  }

  @Test
  void theBanRefusesEveryConnectUntilItsEndAndIsNotExtended() {
    guard.admit("d", 0);
    guard.admit("d", 1);
    guard.admit("d", 2);
    assertFalse(guard.admit("d", 3), "flapping: the ban starts at 3");

    assertFalse(guard.admit("d", 3 + BAN_MS / 2));
    assertFalse(guard.admit("d", 3 + BAN_MS - 1), "1 ms before the ban ends");
    assertTrue(guard.admit("d", 3 + BAN_MS), "the ban ends at refusal + banMs");
    assertTrue(guard.admit("d", 3 + BAN_MS + 1), "a clean history after the ban");
    assertTrue(guard.admit("d", 3 + BAN_MS + 2));
    assertFalse(guard.admit("d", 3 + BAN_MS + 3), "and the same limit again");
    assertEquals(4, guard.refusals());
  }

  @Test
  void idsAreJudgedApart() {
    for (int i = 0; i < 3; i++) {
      assertTrue(guard.admit("a", i));
    }
    assertFalse(guard.admit("a", 3));

    assertTrue(guard.admit("b", 4), "another id is not banned");
  }

  @Test
  void aSteadyReconnectBelowTheRateIsNeverRefused() {
    // 3 per 60 s allowed: one every 20,000 ms is exactly at the limit.
    for (long t = 0; t < 10 * WINDOW_MS; t += 20_000) {
      assertTrue(guard.admit("d", t), "at " + t);
    }
    assertEquals(0, guard.refusals());
  }

  @Test
  void aLimitOfOneAllowsOneConnectPerWindow() {
    FlapGuard strict = new FlapGuard(1, 1000, 5000, 10);

    assertTrue(strict.admit("d", 0));
    assertFalse(strict.admit("d", 999));
    assertTrue(strict.admit("d", 999 + 5000));
    assertTrue(strict.admit("d", 999 + 5000 + 1000));
    assertFalse(strict.admit("d", 999 + 5000 + 1001));
  }

  @Test
  void zeroMaxConnectsDisablesTheGuardAndTracksNothing() {
    FlapGuard off = new FlapGuard(0, WINDOW_MS, BAN_MS, 10);

    for (int i = 0; i < 1000; i++) {
      assertTrue(off.admit("d", i));
    }
    assertEquals(0, off.trackedIds());
    assertEquals(0, off.refusals());
  }

  @Test
  void expireForgetsIdsQuietForTheWindowAndTheBan() {
    guard.admit("old", 0);
    guard.admit("d", 0);
    guard.admit("d", 1);
    guard.admit("d", 2);
    guard.admit("d", 3);
    guard.admit("recent", BAN_MS - WINDOW_MS);

    assertEquals(0, guard.expire(BAN_MS - 1), "nothing quiet for max(window, ban) yet");
    assertEquals(1, guard.expire(BAN_MS), "old: quiet since 0");
    assertEquals(2, guard.trackedIds());
    assertFalse(guard.admit("d", BAN_MS + 2), "banned d is kept until its ban ends");
    assertEquals(1, guard.expire(BAN_MS + 2 + BAN_MS - 1), "recent goes, d was touched at "
        + (BAN_MS + 2));
    assertEquals(1, guard.trackedIds());
  }

  @Test
  void tracksAtMostTheCapForgettingTheLeastRecentlyConnected() {
    FlapGuard small = new FlapGuard(1, WINDOW_MS, BAN_MS, 2);
    small.admit("a", 0);
    small.admit("b", 1);
    small.admit("a", 2);
    assertEquals(1, small.refusals(), "a is banned");

    small.admit("c", 3);

    assertEquals(2, small.trackedIds());
    assertFalse(small.admit("a", 4), "a connected more recently than b, so b was forgotten");
    assertTrue(small.admit("b", 5), "b starts afresh");
  }

  @Test
  void readsItsLimitsFromTheSettings() {
    FlapGuard fromDefaults = FlapGuard.from(HeartbeatConfig.defaults());

    for (int i = 0; i < 15; i++) {
      assertTrue(fromDefaults.admit("d", i * 1000L));
    }
    assertFalse(fromDefaults.admit("d", 59_999), "16th connect within 60 s");
    assertTrue(fromDefaults.admit("d", 59_999 + 300_000), "after the 300 s ban");
  }
}
