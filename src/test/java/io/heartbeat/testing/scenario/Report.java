package io.heartbeat.testing.scenario;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one reliability scenario measured (figures, printed by the scripts and pasted into
 * README) and what it found wrong (violations, which fail the test or the script). Thread-safe.
 */
public final class Report {

  private static final int KEPT_VIOLATIONS = 20;

  private final String scenario;
  private final List<String> figures = Collections.synchronizedList(new ArrayList<>());
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger violationCount = new AtomicInteger();

  public Report(String scenario) {
    this.scenario = scenario;
  }

  /** Records a measured figure, {@link String#format} style. */
  public Report figure(String format, Object... args) {
    figures.add(String.format(format, args));
    return this;
  }

  /** Records a violation unless {@code ok}. */
  public Report check(boolean ok, String format, Object... args) {
    if (!ok) {
      violation(format, args);
    }
    return this;
  }

  /** Records a violation; only the first few are kept verbatim, all are counted. */
  public Report violation(String format, Object... args) {
    if (violationCount.incrementAndGet() <= KEPT_VIOLATIONS) {
      violations.add(String.format(format, args));
    }
    return this;
  }

  public boolean passed() {
    return violationCount.get() == 0;
  }

  public List<String> figures() {
    return List.copyOf(figures);
  }

  /** The first violations (all of them when there are few) and the total. */
  public String violations() {
    int n = violationCount.get();
    return n + " violation(s)" + (n == 0 ? "" : ":\n  " + String.join("\n  ", violations)
        + (n > KEPT_VIOLATIONS ? "\n  ... and " + (n - KEPT_VIOLATIONS) + " more" : ""));
  }

  @Override
  public String toString() {
    return "== " + scenario + " ==\n  " + String.join("\n  ", figures) + "\n  "
        + (passed() ? "PASS" : "FAIL: " + violations());
  }
}
