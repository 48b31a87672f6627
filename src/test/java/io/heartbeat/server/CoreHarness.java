package io.heartbeat.server;

import io.heartbeat.config.ConfigException;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.protocol.FrameDecoder;
import io.heartbeat.protocol.FrameEncoder;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.Hello;
import io.heartbeat.protocol.IllegalFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.JsonObject;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Connection cores without sockets: a fake edge that records what the core writes, a listener
 * that records what it reports, and a registry, all driven with times the test chooses (ns).
 */
final class CoreHarness implements ConnectionListener {

  /** An edge that records writes as "ack", "probe", "DATA", "GOODBYE:reason", "flush", "close". */
  static final class FakeOutput implements ConnectionOutput {
    final List<String> log = new ArrayList<>();
    boolean writable = true;
    boolean closed;

    @Override
    public void writeEmpty(int type) {
      log.add(type == FrameType.HEARTBEAT_ACK ? "ack" : type == FrameType.HEARTBEAT ? "probe"
          : "empty:" + type);
    }

    @Override
    public void write(byte[] frame) {
      ByteBuf in = Unpooled.wrappedBuffer(frame);
      int type = in.getIntLE(0);
      String name = type == FrameType.GOODBYE ? "GOODBYE:" + in.toString(8, frame.length - 8,
          java.nio.charset.StandardCharsets.UTF_8) : type == FrameType.DATA ? "DATA"
          : type == FrameType.HEARTBEAT_ACK ? "ack+payload" : "frame:" + type;
      log.add(name);
    }

    @Override
    public void flush() {
      log.add("flush");
    }

    @Override
    public boolean writable() {
      return writable;
    }

    @Override
    public void close() {
      closed = true;
      log.add("close");
    }

    @Override
    public String remoteAddress() {
      return "127.0.0.1:5000";
    }

    @Override
    public String localAddress() {
      return "127.0.0.1:15000";
    }

    @Override
    public String remoteHost() {
      return "127.0.0.1";
    }
  }

  final List<String> events = new ArrayList<>();
  final ConnectionRegistry registry = new ConnectionRegistry(1);
  final FrameEncoder encoder = new FrameEncoder(ByteOrder.LITTLE_ENDIAN);
  final CorePolicy policy;
  final int maxPayloadBytes;
  TickChores chores;

  CoreHarness(JsonObject settings) {
    HeartbeatConfig config;
    try {
      config = HeartbeatConfig.fromJson(settings);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e);
    }
    policy = new CorePolicy(config);
    maxPayloadBytes = config.maxPayloadBytes();
    chores = new TickChores(registry, 0);
  }

  CoreHarness() {
    this(new JsonObject());
  }

  /** A new connection opened at {@code nowNanos}, in the registry. */
  ConnectionCore open(FakeOutput out, long nowNanos) {
    ConnectionCore core = new ConnectionCore(registry.newId(), out, this, policy,
        h -> new FrameDecoder(ByteOrder.LITTLE_ENDIAN, maxPayloadBytes, h), nowNanos);
    registry.add(core);
    return core;
  }

  /** One frame's bytes, little-endian. */
  ByteBuf frame(int type, byte[] payload) {
    return encoder.encode(type, payload);
  }

  @Override
  public void active(ConnectionCore connection) {
    registry.markActive(connection);
    events.add("active");
  }

  @Override
  public void heartbeat(ConnectionCore connection, boolean acked) {
    events.add(acked ? "heartbeat acked" : "heartbeat not acked");
  }

  @Override
  public void data(ConnectionCore connection, boolean heartbeat, ByteBuf payload) {
    events.add((heartbeat ? "heartbeat payload " : "data ") + payload.readableBytes());
  }

  @Override
  public void hello(ConnectionCore connection, Hello hello) {
    events.add("hello " + hello.clientId() + " " + hello.requestedIntervalMs());
  }

  @Override
  public void sessionRefused(ConnectionCore connection, String reason) {
    events.add("refused " + reason);
  }

  @Override
  public void dataBeforeWelcome(ConnectionCore connection) {
    events.add("data before welcome");
  }

  @Override
  public void goodbye(ConnectionCore connection, String reason) {
    events.add("goodbye " + reason);
  }

  @Override
  public void protocolError(ConnectionCore connection, IllegalFrameException verdict) {
    events.add("protocol error " + verdict.reason());
  }

  @Override
  public void stoppedReading(ConnectionCore connection) {
    events.add("stopped reading");
    chores.watchStoppedReading(connection);
  }

  @Override
  public void ioError(ConnectionCore connection, Throwable error) {
    events.add("io error");
  }

  @Override
  public void closed(ConnectionCore connection, String reason) {
    registry.remove(connection);
    events.add("closed " + reason);
  }
}
