package io.heartbeat.client;

import static io.heartbeat.client.ReconnectPolicy.Action.FAILED_PASS;
import static io.heartbeat.client.ReconnectPolicy.Action.NEXT_SERVER;
import static io.heartbeat.client.ReconnectPolicy.Action.RECONNECT;
import static io.heartbeat.client.ReconnectPolicy.Action.SHUTDOWN_JITTER;
import static io.heartbeat.client.ReconnectPolicy.Action.STOP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {

  private static final DisconnectReason REPLACED =
      DisconnectReason.goodbye(DisconnectReason.GOODBYE_REPLACED);
  private static final DisconnectReason UNAUTHORIZED =
      DisconnectReason.goodbye(DisconnectReason.GOODBYE_UNAUTHORIZED);
  private static final DisconnectReason FLAPPING =
      DisconnectReason.goodbye(DisconnectReason.GOODBYE_FLAPPING);
  private static final DisconnectReason LIMIT =
      DisconnectReason.goodbye(DisconnectReason.GOODBYE_LIMIT);
  private static final DisconnectReason SHUTDOWN =
      DisconnectReason.goodbye(DisconnectReason.GOODBYE_SHUTDOWN);
  private static final DisconnectReason PEER_CLOSED =
      DisconnectReason.of(DisconnectReason.Kind.PEER_CLOSED, null);

  @Test
  void replacedAndUnauthorizedStopTheClientByDefault() {
    ReconnectPolicy policy = new ReconnectPolicy(new HeartbeatClientOptions());
    assertEquals(STOP, policy.after(REPLACED, true));
    assertEquals(STOP, policy.after(UNAUTHORIZED, false));
    assertEquals(STOP, policy.after(DisconnectReason.goodbye(DisconnectReason.GOODBYE_KICKED),
        true));
  }

  @Test
  void replacedReconnectsLikeALostLinkAndUnauthorizedBacksOffWhenConfigured() {
    ReconnectPolicy policy = new ReconnectPolicy(new HeartbeatClientOptions()
        .setReconnectAfterReplaced(true).setReconnectAfterUnauthorized(true));
    assertEquals(RECONNECT, policy.after(REPLACED, true));
    assertEquals(FAILED_PASS, policy.after(UNAUTHORIZED, false));
  }

  @Test
  void refusalsAreFailedPassesWhetherOrNotTheSessionOpened() {
    ReconnectPolicy policy = new ReconnectPolicy(new HeartbeatClientOptions());
    for (boolean opened : new boolean[] {false, true}) {
      assertEquals(FAILED_PASS, policy.after(FLAPPING, opened));
      assertEquals(FAILED_PASS, policy.after(LIMIT, opened));
    }
  }

  @Test
  void aSessionThatNeverOpenedMovesOnLikeAFailedConnect() {
    ReconnectPolicy policy = new ReconnectPolicy(new HeartbeatClientOptions());
    assertEquals(NEXT_SERVER, policy.after(PEER_CLOSED, false));
    assertEquals(NEXT_SERVER, policy.after(SHUTDOWN, false));
    assertEquals(RECONNECT, policy.after(PEER_CLOSED, true));
    assertEquals(SHUTDOWN_JITTER, policy.after(SHUTDOWN, true));
    assertEquals(RECONNECT, new ReconnectPolicy(new HeartbeatClientOptions()
        .setShutdownJitterMs(0)).after(SHUTDOWN, true));
  }
}
