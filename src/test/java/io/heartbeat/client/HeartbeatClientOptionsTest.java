package io.heartbeat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class HeartbeatClientOptionsTest {

  @Test
  void defaultsAreValid() {
    HeartbeatClientOptions options = new HeartbeatClientOptions().validate();
    assertEquals(HeartbeatClientOptions.DEFAULT_HEARTBEAT_INTERVAL_MS,
        options.getHeartbeatIntervalMs());
    assertEquals(HeartbeatClientOptions.DEFAULT_SERVER_TIMEOUT_MS, options.getServerTimeoutMs());
    assertEquals(ByteOrder.LITTLE_ENDIAN, options.getByteOrder());
  }

  @Test
  void rejectsOutOfRangeValuesNamingTheOptionAndValue() {
    HeartbeatClientOptions options = new HeartbeatClientOptions();
    assertMessage(() -> options.setPort(0), "port", "0");
    assertMessage(() -> options.setPort(65536), "port", "65536");
    assertMessage(() -> options.setHeartbeatIntervalMs(-1), "heartbeatIntervalMs", "-1");
    assertMessage(() -> options.setServerTimeoutMs(-5), "serverTimeoutMs", "-5");
    assertMessage(() -> options.setConnectTimeoutMs(0), "connectTimeoutMs", "0");
    assertMessage(() -> options.setReconnectMultiplier(0.5), "reconnectMultiplier", "0.5");
    assertMessage(() -> options.setReconnectInitialDelayMs(-1), "reconnectInitialDelayMs", "-1");
    assertMessage(() -> options.setMaxReconnectAttempts(-1), "maxReconnectAttempts", "-1");
    assertMessage(() -> options.setShutdownJitterMs(-1), "shutdownJitterMs", "-1");
    assertMessage(() -> options.setMaxPayloadBytes(-1), "maxPayloadBytes", "-1");
    assertMessage(() -> options.setHost(" "), "host", " ");
    assertMessage(() -> options.setByteOrder(null), "byteOrder", "null");
  }

  @Test
  void zeroDisablesHeartbeatsAndTheServerTimeout() {
    new HeartbeatClientOptions().setHeartbeatIntervalMs(0).setServerTimeoutMs(0).validate();
    new HeartbeatClientOptions().setHeartbeatIntervalMs(0).setServerTimeoutMs(10).validate();
  }

  @Test
  void rejectsServerTimeoutNotAboveTheHeartbeatInterval() {
    HeartbeatClientOptions options = new HeartbeatClientOptions()
        .setHeartbeatIntervalMs(1000).setServerTimeoutMs(1000);
    assertMessage(options::validate, "serverTimeoutMs (1000)", "heartbeatIntervalMs (1000)");
  }

  @Test
  void rejectsMaxDelayBelowInitialDelay() {
    HeartbeatClientOptions options = new HeartbeatClientOptions()
        .setReconnectInitialDelayMs(500).setReconnectMaxDelayMs(100);
    assertMessage(options::validate, "reconnectMaxDelayMs (100)", "reconnectInitialDelayMs (500)");
  }

  @Test
  void copyIsIndependentOfTheOriginal() {
    HeartbeatClientOptions original = new HeartbeatClientOptions().setPort(1234);
    HeartbeatClientOptions copy = new HeartbeatClientOptions(original);
    original.setPort(4321);
    assertEquals(1234, copy.getPort());
  }

  private static void assertMessage(Runnable call, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), () -> "\"" + e.getMessage() + "\" lacks " + part);
    }
  }
}
