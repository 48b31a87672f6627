package io.heartbeat.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The running build's version: the jar manifest's Implementation-Version when there is one, else
 * the version Maven records in every jar it builds
 * ({@code META-INF/maven/io.heartbeat/heartbeat/pom.properties}), else {@link #UNKNOWN} (running
 * from compiled classes, as in tests).
 */
public final class BuildInfo {

  /** The version when neither source has one. */
  public static final String UNKNOWN = "unknown";
  static final String POM_PROPERTIES = "/META-INF/maven/io.heartbeat/heartbeat/pom.properties";

  private BuildInfo() {
  }

  /** This build's version, never null. */
  public static String version() {
    String manifest = BuildInfo.class.getPackage().getImplementationVersion();
    if (manifest != null && !manifest.isBlank()) {
      return manifest;
    }
    try (InputStream in = BuildInfo.class.getResourceAsStream(POM_PROPERTIES)) {
      return versionOf(in);
    } catch (IOException e) {
      return UNKNOWN;
    }
  }

  /** The {@code version} property of a pom.properties stream; {@link #UNKNOWN} when absent. */
  static String versionOf(InputStream pomProperties) throws IOException {
    if (pomProperties == null) {
      return UNKNOWN;
    }
    Properties properties = new Properties();
    properties.load(pomProperties);
    String version = properties.getProperty("version");
    return version == null || version.isBlank() ? UNKNOWN : version.trim();
  }
}
