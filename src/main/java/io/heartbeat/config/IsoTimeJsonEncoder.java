package io.heartbeat.config;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Logback's own {@link JsonEncoder} (one JSON object per line), with the event's time also
 * written as ISO-8601 text first ({@code "time":"2026-12-04T16:06:43.123Z"}), so every log line
 * carries a readable date whichever format the operator picks; {@code "timestamp"} stays the
 * epoch milliseconds the encoder writes. Configured in conf/logback-json.xml.
 */
public class IsoTimeJsonEncoder extends JsonEncoder {

  /** The same rendering as the text format's {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX}}. */
  static final DateTimeFormatter ISO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneId.systemDefault());

  @Override
  public byte[] encode(ILoggingEvent event) {
    byte[] json = super.encode(event);
    if (json.length < 2 || json[0] != '{') {
      return json;
    }
    byte[] time = ("{\"time\":\"" + ISO_TIME.format(event.getInstant()) + "\",")
        .getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[time.length + json.length - 1];
    System.arraycopy(time, 0, out, 0, time.length);
    System.arraycopy(json, 1, out, time.length, json.length - 1);
    return out;
  }
}
