package io.heartbeat.cclient;

import io.heartbeat.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/**
 * Builds the C library (src/main/c) with make, and runs the tools its tests need. A missing
 * tool fails the test under CI=true (with the package to install) and skips it elsewhere.
 */
public final class CBuild {

  /** The C sources and their Makefile. */
  public static final Path SOURCES = Path.of("src", "main", "c");
  /** The example client of the default build. */
  public static final Path HBCLIENT = SOURCES.resolve("build").resolve("hbclient");

  private static boolean built;

  private CBuild() {
  }

  /** A finished command: exit code and everything it printed (stdout and stderr). */
  public record Result(int exitCode, String output) {
  }

  /** Builds build/libhbclient.a and build/hbclient once per JVM with the default compiler. */
  public static synchronized Path hbclient() throws Exception {
    if (!built) {
      requireTool("make", "make");
      requireTool("cc", "gcc");
      Result make = run(List.of("make", "-C", SOURCES.toString()));
      Assertions.assertEquals(0, make.exitCode(), "make failed:\n" + make.output());
      built = true;
    }
    return HBCLIENT.toAbsolutePath();
  }

  /**
   * Fails (CI=true) or skips (elsewhere) when {@code tool} is not on the PATH, naming the
   * package to install.
   */
  public static void requireTool(String tool, String debianPackage) {
    boolean found;
    try {
      Process p = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
      found = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      found = false;
    }
    Prerequisites.require(found, tool + " is not installed, the C library cannot be built or"
        + " checked", "apt-get install " + debianPackage);
  }

  /** Runs {@code command} in the project directory; waits up to two minutes. */
  public static Result run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      Assertions.fail("timed out: " + command + "\n" + output);
    }
    return new Result(p.exitValue(), output);
  }
}
