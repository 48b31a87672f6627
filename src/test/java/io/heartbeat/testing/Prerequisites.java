package io.heartbeat.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (a compiler, iproute2, network namespaces, the native
 * transport). Under CI ({@code CI=true}) a missing prerequisite fails the test with a line that
 * says what to install, so a proof cannot vanish from the suite unseen; elsewhere the test is
 * skipped, saying why.
 */
public final class Prerequisites {

  private Prerequisites() {
  }

  /** Whether this run is CI's (the environment variable CI is "true"). */
  public static boolean underCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * Stops the test unless {@code present}: fails under CI, skips elsewhere.
   *
   * @param what what is missing and why the test needs it
   * @param fix what to install or change (for example "apt-get install gcc")
   */
  public static void require(boolean present, String what, String fix) {
    if (!present) {
      missing(what, fix);
    }
  }

  /** Stops the test: fails under CI, skips elsewhere. Never returns. */
  public static void missing(String what, String fix) {
    String line = what + " (fix: " + fix + ")";
    if (underCi()) {
      Assertions.fail("Missing prerequisite under CI: " + line);
    }
    Assumptions.abort("Skipped, missing prerequisite: " + line);
  }
}
