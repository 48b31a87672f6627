package io.heartbeat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the open-files limit cannot hold maxConnections, and what the warning tells to do. */
class OpenFilesLimitTest {

  @Test
  void warnsWhenMaxConnectionsPlusOwnFilesExceedTheLimit() {
    String warning = OpenFilesLimit.warning(1024, 19_000, 115).orElseThrow();

    assertTrue(warning.contains("Open-files limit 1024"), warning);
    assertTrue(warning.contains("maxConnections 19000 + 115"), warning);
    assertTrue(warning.contains("beyond about 909"), warning);
    assertTrue(warning.contains("ulimit -n 19115") && warning.contains("LimitNOFILE=19115")
        && warning.contains("set maxConnections to 909 or less"), "names every fix: " + warning);
    assertTrue(!warning.contains("\n"), "one line: " + warning);
  }

  @Test
  void staysQuietWhenTheLimitHoldsConnectionsAndOwnFiles() {
    assertEquals(Optional.empty(), OpenFilesLimit.warning(19_115, 19_000, 115));
    assertEquals(Optional.empty(), OpenFilesLimit.warning(1_048_576, 19_000, 115));
  }

  @Test
  void warnsFromTheFirstDescriptorShortOfTheNeed() {
    assertTrue(OpenFilesLimit.warning(19_114, 19_000, 115).isPresent());
  }

  @Test
  void staysQuietWithoutAConnectionLimitOrAKnownLimit() {
    assertEquals(Optional.empty(), OpenFilesLimit.warning(512, 0, 115));
    assertEquals(Optional.empty(), OpenFilesLimit.warning(0, 19_000, 115));
    assertEquals(Optional.empty(), OpenFilesLimit.warning(-1, 19_000, 115));
  }

  @Test
  void neverSuggestsANegativeMaxConnections() {
    String warning = OpenFilesLimit.warning(64, 1000, 115).orElseThrow();

    assertTrue(warning.contains("beyond about 0 cannot be accepted"), warning);
    assertTrue(!warning.contains("set maxConnections"), warning);
  }

  @Test
  void ownFilesGrowWithTheEventLoops() {
    assertEquals(100 + 3 * 5, OpenFilesLimit.ownFiles(2));
    assertEquals(100 + 3 * 129, OpenFilesLimit.ownFiles(64));
  }

  @Test
  void readsTheLimitOfThisProcess() {
    // On Linux (where the service runs) the JVM exposes it; it is at least what it has open.
    long limit = OpenFilesLimit.processLimit().orElseThrow();
    assertTrue(limit >= 3, "limit " + limit);
  }
}
