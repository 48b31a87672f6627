package io.heartbeat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who is live, from announces and Hazelcast's removals, tick by tick without a cluster. */
class MembershipTest {

  private static final long MS = 1_000_000;
  private static final long TIMEOUT = 200 * MS;

  private final Membership membership = new Membership("self");

  private static Announce node(String id, int number, String... monitors) {
    return new Announce(id, number, List.of(monitors), List.of(), false, false);
  }

  @Test
  void aNewNodeOrNewMonitorsChangeTheViewARepeatedAnnounceDoesNot() {
    assertTrue(membership.heard(node("self", 1, "1.0"), 0));
    assertTrue(membership.heard(node("b", 2), 0));
    assertFalse(membership.heard(node("b", 2), 50 * MS));
    assertTrue(membership.heard(node("b", 2, "2.0"), 100 * MS));

    MonitorView view = membership.view();
    assertEquals(List.of("1.0", "2.0"), view.monitors().stream().map(MonitorRef::id).toList());
    assertEquals(Set.of(1, 2), view.nodes());
    assertEquals(2, view.monitors().get(1).node());
  }

  @Test
  void aNodeUnheardOfForTheTimeoutExpiresButThisNodeNever() {
    membership.heard(node("self", 1, "1.0"), 0);
    membership.heard(node("b", 2, "2.0"), 0);
    membership.heard(node("b", 2, "2.0"), 100 * MS);

    assertFalse(membership.expire(300 * MS, TIMEOUT), "heard 200 ms ago: not more than timeout");
    assertTrue(membership.expire(301 * MS, TIMEOUT));
    assertEquals(Set.of(1), membership.view().nodes());
    assertEquals(1, membership.view().size());
  }

  @Test
  void anExpiredNodeIsStillNamedWhenHazelcastRemovesItLater() {
    membership.heard(node("b", 2, "2.0"), 0);
    membership.expire(TIMEOUT + 1, TIMEOUT);

    assertEquals(2, membership.left("b"));
    assertEquals(-1, membership.left("b"), "reported once");
  }

  @Test
  void aNodeThatSaidGoodbyeIsNotReportedLost() {
    membership.heard(node("b", 2, "2.0"), 0);

    assertTrue(membership.leaving("b"));
    assertEquals(-1, membership.left("b"));
    assertEquals(0, membership.view().size());
  }

  @Test
  void anExpiredNodeThatAnnouncesAgainComesBack() {
    membership.heard(node("b", 2, "2.0"), 0);
    membership.expire(TIMEOUT + 1, TIMEOUT);

    assertTrue(membership.heard(node("b", 2, "2.0"), TIMEOUT + 2));
    assertEquals(1, membership.view().size());
  }

  @Test
  void settlesOnceEveryOtherMemberWasHeard() {
    assertTrue(membership.heardAll(List.of("self")));
    assertFalse(membership.heardAll(List.of("self", "b", "c")));
    membership.heard(node("b", 2), 0);
    membership.heard(node("c", 3), 0);
    assertTrue(membership.heardAll(List.of("self", "b", "c")));
  }
}
