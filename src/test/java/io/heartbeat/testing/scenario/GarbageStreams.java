package io.heartbeat.testing.scenario;

import static io.heartbeat.testing.scenario.Scenarios.header;

import io.heartbeat.protocol.FrameType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Opening byte streams a hostile or confused peer sends, and what the protocol says the service
 * must do with each (PROTOCOL.md "Illegal input"): other protocols' openings (an HTTP request
 * line, a TLS ClientHello), all-zero and all-0xFF bytes, the type and length fields at -1/+1 of
 * every limit, the wrong byte order, headers split byte by byte, random and mutated streams.
 *
 * <p>The expectation comes from a reference reading of PROTOCOL.md, not from the production
 * decoder: the first header whose type is outside 0..5 or whose length is negative or above
 * maxPayloadBytes, or a complete session frame out of place or malformed (protocol 1.1), makes
 * the stream illegal (closed at once, nothing sent back for it);
 * otherwise the stream is legal and the service must keep the connection open. Every complete
 * HEARTBEAT before that point is acked with 8 bytes.
 */
public final class GarbageStreams {

  /** A stream, how to write it and what must happen. */
  public record Stream(String category, List<byte[]> chunks, boolean illegal, int heartbeats) {
  }

  /** The categories in the order {@link #make} cycles through them. */
  public static final List<String> CATEGORIES = List.of("http-request-line", "tls-client-hello",
      "all-zero", "all-0xff", "type-6", "hello-empty", "type--1", "type-goodbye-3", "type-min",
      "type-max", "length--1", "length-min", "length-0", "length-max-minus-1", "length-max",
      "length-max-plus-1", "length-2^31-1", "random", "mutated-valid", "big-endian-frames",
      "illegal-header-byte-by-byte", "heartbeats-then-illegal");

  private final int maxPayload;

  public GarbageStreams(int maxPayload) {
    this.maxPayload = maxPayload;
  }

  /** The {@code n}-th stream: category {@code n} modulo the number of categories. */
  public Stream make(int n, Random random) {
    String category = CATEGORIES.get(n % CATEGORIES.size());
    byte[] bytes = bytesOf(category, random);
    List<byte[]> chunks = new ArrayList<>();
    if (category.equals("illegal-header-byte-by-byte")) {
      for (byte b : bytes) {
        chunks.add(new byte[] {b});
      }
    } else if (category.equals("mutated-valid") && bytes.length > 1 && random.nextBoolean()) {
      int cut = 1 + random.nextInt(bytes.length - 1);
      chunks.add(Arrays.copyOfRange(bytes, 0, cut));
      chunks.add(Arrays.copyOfRange(bytes, cut, bytes.length));
    } else {
      chunks.add(bytes);
    }
    int[] verdict = reference(bytes);
    return new Stream(category, chunks, verdict[0] == 1, verdict[1]);
  }

  private byte[] bytesOf(String category, Random random) {
    switch (category) {
      case "http-request-line":
        return "GET / HTTP/1.1\r\nHost: heartbeat\r\nUser-Agent: curl/8.0\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
      case "tls-client-hello":
        return clientHello(random);
      case "all-zero":
        return new byte[1 + random.nextInt(100)];
      case "all-0xff": {
        byte[] ff = new byte[8 + random.nextInt(100)];
        Arrays.fill(ff, (byte) 0xFF);
        return ff;
      }
      case "type-6":
        return header(FrameType.WELCOME + 1, 0);
      case "hello-empty":
        return header(FrameType.HELLO, 0);
      case "type--1":
        return header(-1, 0);
      case "type-goodbye-3":
        return header(FrameType.GOODBYE, 0);
      case "type-min":
        return header(Integer.MIN_VALUE, 0);
      case "type-max":
        return header(Integer.MAX_VALUE, 0);
      case "length--1":
        return header(FrameType.DATA, -1);
      case "length-min":
        return header(FrameType.DATA, Integer.MIN_VALUE);
      case "length-0":
        return header(FrameType.DATA, 0);
      case "length-max-minus-1":
        return withPartialPayload(header(FrameType.DATA, maxPayload - 1), random);
      case "length-max":
        return withPartialPayload(header(FrameType.DATA, maxPayload), random);
      case "length-max-plus-1":
        return withPartialPayload(header(FrameType.DATA, maxPayload + 1), random);
      case "length-2^31-1":
        return withPartialPayload(header(FrameType.DATA, Integer.MAX_VALUE), random);
      case "random": {
        byte[] b = new byte[1 + random.nextInt(64)];
        random.nextBytes(b);
        return b;
      }
      case "mutated-valid":
        return mutated(random);
      case "big-endian-frames":
        return ByteBuffer.allocate(13).order(ByteOrder.BIG_ENDIAN).putInt(FrameType.DATA)
            .putInt(5).put(new byte[5]).array();
      case "illegal-header-byte-by-byte":
        return header(1 + FrameType.WELCOME + random.nextInt(1000), random.nextInt(100));
      case "heartbeats-then-illegal": {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(FrameType.HEARTBEAT).putInt(0).putInt(FrameType.HEARTBEAT).putInt(0);
        b.putInt(FrameType.DATA).putInt(-2 - random.nextInt(1000));
        return b.array();
      }
      default:
        throw new IllegalArgumentException(category);
    }
  }

  private static byte[] withPartialPayload(byte[] header, Random random) {
    byte[] out = Arrays.copyOf(header, header.length + random.nextInt(200));
    for (int i = header.length; i < out.length; i++) {
      out[i] = (byte) random.nextInt(256);
    }
    return out;
  }

  /** The start of a TLS 1.2 ClientHello record: handshake type, versions, random, ciphers. */
  private static byte[] clientHello(Random random) {
    ByteBuffer b = ByteBuffer.allocate(96).order(ByteOrder.BIG_ENDIAN);
    b.put((byte) 0x16).putShort((short) 0x0301).putShort((short) 91);
    b.put((byte) 0x01).put((byte) 0).putShort((short) 87).putShort((short) 0x0303);
    byte[] nonce = new byte[32];
    random.nextBytes(nonce);
    b.put(nonce).put((byte) 0).putShort((short) 4).putShort((short) 0x1301)
        .putShort((short) 0xC02F).put((byte) 1).put((byte) 0);
    return Arrays.copyOf(b.array(), b.position());
  }

  /** Legal frames (heartbeats, DATA with a payload) with a few bytes flipped or dropped. */
  private byte[] mutated(Random random) {
    ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(FrameType.HEARTBEAT).putInt(0);
    b.putInt(FrameType.DATA).putInt(6).put("hello!".getBytes(StandardCharsets.US_ASCII));
    b.putInt(FrameType.HEARTBEAT).putInt(0);
    byte[] out = Arrays.copyOf(b.array(), b.position());
    int mutations = 1 + random.nextInt(3);
    for (int i = 0; i < mutations; i++) {
      int at = random.nextInt(out.length);
      if (random.nextInt(4) == 0) {
        byte[] shorter = new byte[out.length - 1];
        System.arraycopy(out, 0, shorter, 0, at);
        System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
        out = shorter;
      } else {
        out[at] ^= (byte) (1 << random.nextInt(8));
      }
    }
    return out;
  }

  /** The largest HELLO payload with the default token limit: 8 + 128 + 4096. */
  private static final int MAX_HELLO_PAYLOAD_BYTES = 8 + 128 + 4096;

  /** PROTOCOL.md's HELLO field rules, read independently of the production codec. */
  private static boolean wellFormedHello(byte[] stream, int at, int length) {
    if (length < 8) {
      return false;
    }
    ByteBuffer p = ByteBuffer.wrap(stream, at, length).order(ByteOrder.LITTLE_ENDIAN);
    int interval = p.getInt();
    int n = p.getShort() & 0xFFFF;
    int m = p.getShort() & 0xFFFF;
    if (interval < 0 || n < 1 || n > 128 || m > 4096 || length != 8 + n + m) {
      return false;
    }
    java.nio.charset.CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
    String id;
    try {
      id = utf8.decode(ByteBuffer.wrap(stream, at + 8, n)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
    if (id.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
      return false;
    }
    for (int i = at + 8 + n; i < at + length; i++) {
      if (stream[i] < 0x21 || stream[i] > 0x7E) {
        return false;
      }
    }
    return true;
  }

  /**
   * The protocol's verdict on a whole stream: {illegal ? 1 : 0, complete heartbeats before the
   * first illegal header or the end}.
   */
  public int[] reference(byte[] stream) {
    ByteBuffer b = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
    int heartbeats = 0;
    boolean first = true;
    while (b.remaining() >= 8) {
      int type = b.getInt();
      int length = b.getInt();
      boolean session = type == FrameType.HELLO || type == FrameType.WELCOME;
      int limit = session ? Math.max(maxPayload, MAX_HELLO_PAYLOAD_BYTES) : maxPayload;
      if (type < FrameType.HEARTBEAT || type > FrameType.WELCOME || length < 0
          || length > limit) {
        return new int[] {1, heartbeats};
      }
      if (b.remaining() < length) {
        break;
      }
      // Protocol 1.1: a complete WELCOME from a client, a HELLO that is not first, or a HELLO
      // whose fields break a rule is illegal input.
      if (type == FrameType.WELCOME || (type == FrameType.HELLO
          && (!first || !wellFormedHello(stream, b.position(), length)))) {
        return new int[] {1, heartbeats};
      }
      first = false;
      b.position(b.position() + length);
      if (type == FrameType.HEARTBEAT) {
        heartbeats++;
      }
    }
    return new int[] {0, heartbeats};
  }
}
