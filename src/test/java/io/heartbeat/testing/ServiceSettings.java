package io.heartbeat.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Settings for the service a {@link ServiceTest} deploys, as {@code key=value} pairs over
 * {@link TestServices#defaults()}: on a test class, and on a test method (which wins).
 * Values {@code true}/{@code false} are booleans, integers are numbers, anything else a string.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ServiceSettings {

  /** For example {@code {"ackHeartbeats=false", "tickMs=1000"}}. */
  String[] value();
}
