package io.heartbeat.config;

/**
 * A setting the user can fix: bad value, unknown key, unreadable file. The message is one line
 * that names the key, the value, where it came from and what is accepted; print it as is.
 */
public final class ConfigException extends Exception {

  /** @param message the complete one-line explanation */
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
