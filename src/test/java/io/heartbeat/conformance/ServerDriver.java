package io.heartbeat.conformance;

/**
 * The real service a scenario runs against, and the actions a scenario may take on it. An
 * action the driver cannot take throws {@link UnsupportedOperationException}.
 */
interface ServerDriver extends AutoCloseable {

  /** The port the service listens on (the same across a restart). */
  int port();

  /** Sends GOODBYE "kicked" to the newest connection and closes it. */
  void kick() throws Exception;

  /** Sends a DATA frame with {@code bytes} bytes to the newest connection. */
  void sendData(int bytes) throws Exception;

  /** Stops the service gracefully (GOODBYE "shutdown" to every client). */
  void stop() throws Exception;

  /** Starts the service again on the same port. */
  void start() throws Exception;

  /** Sends a signal (STOP, CONT) to the service's process. */
  void signal(String name) throws Exception;

  @Override
  void close();
}
