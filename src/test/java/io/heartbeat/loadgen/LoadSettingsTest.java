package io.heartbeat.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoadSettingsTest {

  @Test
  void refusesEveryNonLoopbackTarget() {
    for (String host : new String[] {"10.0.0.1", "192.168.1.10", "172.16.0.1", "8.8.8.8",
        "0.0.0.0", "::2"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> LoadSettings.parse(new String[] {"--port", "15000", "--host", host}), host);
      assertTrue(e.getMessage().contains("loopback"), e.getMessage());
    }
  }

  @Test
  void acceptsLoopbackTargets() {
    for (String host : new String[] {"127.0.0.1", "127.3.4.5", "localhost", "::1"}) {
      assertEquals(host, LoadSettings.parse(new String[] {"--port", "1", "--host", host}).host);
    }
  }

  @Test
  void boundsConnectionsAndDuration() {
    assertThrows(IllegalArgumentException.class,
        () -> LoadSettings.parse(new String[] {"--port", "1", "--conns", "19801"}));
    assertThrows(IllegalArgumentException.class,
        () -> LoadSettings.parse(new String[] {"--port", "1", "--duration-s", "3601"}));
    assertThrows(IllegalArgumentException.class,
        () -> LoadSettings.parse(new String[] {"--port", "1", "--freeze-fraction", "1.5"}));
    assertThrows(IllegalArgumentException.class, () -> LoadSettings.parse(new String[] {}));
    assertThrows(IllegalArgumentException.class,
        () -> LoadSettings.parse(new String[] {"--port", "1", "--bogus", "2"}));
  }

  @Test
  void spreadsSourceAddressesWhenOneHasTooFewPorts() {
    LoadSettings small = LoadSettings.parse(new String[] {"--port", "1", "--conns", "9000"});
    assertEquals(1, small.srcIps);
    LoadSettings large = LoadSettings.parse(new String[] {"--port", "1", "--conns", "19500"});
    assertEquals(2, large.srcIps);
    assertEquals("127.0.0.1", large.sourceAddress(0));
    assertEquals("127.0.0.2", large.sourceAddress(1));
    assertEquals("127.0.0.1", large.sourceAddress(2));
  }

  @Test
  void sessionModeNeedsAPrintablePrefixAndTokensNeedSessions() {
    LoadSettings sessions = LoadSettings.parse(new String[] {"--port", "1",
        "--client-id-prefix", "dev-"});
    assertTrue(sessions.sessions());
    assertEquals("dev-42", sessions.clientId(42));
    assertTrue(!LoadSettings.parse(new String[] {"--port", "1"}).sessions());
    IllegalArgumentException control = assertThrows(IllegalArgumentException.class,
        () -> LoadSettings.parse(new String[] {"--port", "1", "--client-id-prefix", "a b"}));
    assertTrue(control.getMessage().contains("--client-id-prefix"), control.getMessage());
    IllegalArgumentException orphan = assertThrows(IllegalArgumentException.class,
        () -> LoadSettings.parse(new String[] {"--port", "1", "--jwt-secret-file", "/x"}));
    assertTrue(orphan.getMessage().contains("--client-id-prefix"), orphan.getMessage());
  }
}
