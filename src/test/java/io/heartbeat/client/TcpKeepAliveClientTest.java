package io.heartbeat.client;

import io.heartbeat.testing.Prerequisites;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heartbeat.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * tcpKeepAlive reaches the kernel: the client's socket, found by its local port (as the service
 * saw it) in Linux's /proc/net/tcp6 (the JVM opens dual-stack sockets, so IPv4-mapped loopback)
 * or /proc/net/tcp, has its keepalive timer running ("tr" field 02) with the option on and no
 * timer (00) with it off. The heartbeat interval is long enough that no heartbeat is in flight
 * (which would show the retransmit timer, 01) when the table is read.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 15, timeUnit = TimeUnit.SECONDS)
class TcpKeepAliveClientTest {

  private static final Path TCP_TABLE = Path.of("/proc/net/tcp");
  private static final Path TCP6_TABLE = Path.of("/proc/net/tcp6");

  @BeforeAll
  static void needsTheLinuxSocketTable() {
    Prerequisites.require(Files.isReadable(TCP_TABLE), "/proc/net/tcp is not readable",
        "run this test on Linux with /proc mounted");
  }

  @Test
  void keepAliveOnStartsTheKernelKeepaliveTimer(Vertx vertx, VertxTestContext ctx) {
    timerOfClientSocket(vertx, true).onComplete(ctx.succeeding(timer -> ctx.verify(() -> {
      assertEquals("02", timer, "tr field of the client's socket");
      ctx.completeNow();
    })));
  }

  @Test
  void keepAliveOffLeavesNoTimerOnAnIdleSocket(Vertx vertx, VertxTestContext ctx) {
    timerOfClientSocket(vertx, false).onComplete(ctx.succeeding(timer -> ctx.verify(() -> {
      assertEquals("00", timer, "tr field of the client's socket");
      ctx.completeNow();
    })));
  }

  /** Connects a client and reads the "tr" (timer active) field of its socket. */
  private static Future<String> timerOfClientSocket(Vertx vertx, boolean keepAlive) {
    return HeartbeatClientTest.startService(vertx, 0).compose(service -> {
      HeartbeatClient client = HeartbeatClient.create(vertx, new HeartbeatClientOptions()
          .setHost("127.0.0.1").setPort(service.port()).setHeartbeatIntervalMs(300)
          .setServerTimeoutMs(0).setTcpKeepAlive(keepAlive));
      Promise<JsonObject> opened = Promise.promise();
      Future<String> timer = vertx.eventBus().<JsonObject>consumer(Addresses.CONNECTION_OPENED,
          m -> opened.tryComplete(m.body())).completion()
          .compose(registered -> {
            client.connect();
            return opened.future();
          })
          .compose(event -> {
            String remote = event.getString("remoteAddress");
            int clientPort = Integer.parseInt(remote.substring(remote.lastIndexOf(':') + 1));
            return Future.all(vertx.fileSystem().readFile(TCP6_TABLE.toString())
                .otherwiseEmpty(), vertx.fileSystem().readFile(TCP_TABLE.toString()))
                .map(tables -> timerField(tables.resultAt(0) + "\n" + tables.resultAt(1),
                    clientPort, service.port()));
          });
      return timer.eventually(() -> client.close());
    });
  }

  /** The "tr" field of the socket from 127.0.0.1:localPort to 127.0.0.1:remotePort. */
  private static String timerField(String tables, int localPort, int remotePort) {
    String local = String.format(Locale.ROOT, "0100007F:%04X", localPort);
    String remote = String.format(Locale.ROOT, "0100007F:%04X", remotePort);
    for (String line : tables.split("\n")) {
      String[] f = line.trim().split("\\s+");
      // IPv4 rows hold 0100007F:PORT, IPv4-mapped IPv6 rows ...FFFF00000100007F:PORT.
      if (f.length > 5 && f[1].endsWith(local) && f[2].endsWith(remote)) {
        return f[5].substring(0, f[5].indexOf(':'));
      }
    }
    throw new AssertionError("no socket " + local + " -> " + remote + " in " + TCP6_TABLE
        + " or " + TCP_TABLE);
  }
}
