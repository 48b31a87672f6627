package io.heartbeat.server;

import io.heartbeat.testing.Prerequisites;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heartbeat.HeartbeatService;
import io.heartbeat.config.HeartbeatConfig;
import io.heartbeat.server.netty.KeepAliveTuning;
import io.heartbeat.testing.FrameClient;
import io.heartbeat.testing.ServiceEvents;
import io.heartbeat.testing.ServiceSettings;
import io.heartbeat.testing.ServiceTest;
import io.heartbeat.testing.TestServices;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServerOptions;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kernel TCP keepalive on accepted sockets. {@code ss -tnoi} shows the server end's keepalive
 * timer, which starts at the idle time (the kernel default is 7200 s); interval and count are
 * not visible there, so a second test reads all three back with getsockopt from a socket
 * accepted by Vert.x and tuned by the same {@link TcpKeepAliveTuner}, on both transports.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
@ServiceSettings({"tickMs=10000", "tcpKeepAlive=true", "tcpKeepAliveIdleSeconds=7",
    "tcpKeepAliveIntervalSeconds=3", "tcpKeepAliveCount=4"})
class TcpKeepAliveTest extends ServiceTest {

  private static final Logger LOG = LoggerFactory.getLogger(TcpKeepAliveTest.class);
  private static final Pattern KEEPALIVE_TIMER = Pattern.compile("timer:\\(keepalive,([^,]+),");
  /** ss prints a timer as [Nmin][Nsec | N.NNNms | NNNms]. */
  private static final Pattern SS_DURATION =
      Pattern.compile("(?:(\\d+)min)?(?:(\\d+)sec|(\\d+)\\.(\\d{3})ms|(\\d+)ms)?");

  private Vertx nativeVertx;

  @Test
  void acceptedSocketsRunTheConfiguredKeepAliveTimerOnNio(Vertx vertx, VertxTestContext ctx) {
    assumeSsPresent();
    expectKeepAliveTimer(vertx, ctx, service, events);
  }

  @Test
  void acceptedSocketsRunTheConfiguredKeepAliveTimerOnEpoll(VertxTestContext ctx)
      throws Exception {
    assumeSsPresent();
    Vertx epoll = nativeVertx();
    ServiceEvents epollEvents = ServiceEvents.listen(epoll).await(5, TimeUnit.SECONDS);
    HeartbeatService epollService = TestServices.start(epoll, config.toJson())
        .await(5, TimeUnit.SECONDS);
    expectKeepAliveTimer(epoll, ctx, epollService, epollEvents);
  }

  @Test
  @ServiceSettings("tcpKeepAlive=false")
  void acceptedSocketsHaveNoKeepAliveTimerWhenKeepAliveIsOff(Vertx vertx, VertxTestContext ctx) {
    assumeSsPresent();
    Checkpoint noTimer = ctx.checkpoint();
    FrameClient.connect(vertx, service.port())
        .compose(client -> events.opened(client)
            .compose(opened -> vertx.executeBlocking(() -> serverEnd(service.port(), client))))
        .onComplete(ctx.succeeding(line -> ctx.verify(() -> {
          assertFalse(line.contains("keepalive"), "ss: " + line);
          noTimer.flag();
        })));
  }

  @Test
  void tunerSetsIdleIntervalAndCountOnSocketsVertxAcceptsOnNio(Vertx vertx,
      VertxTestContext ctx) {
    expectTunedValuesReadBack(vertx, ctx);
  }

  @Test
  void tunerSetsIdleIntervalAndCountOnSocketsVertxAcceptsOnEpoll(VertxTestContext ctx) {
    Vertx epoll = nativeVertx();
    expectTunedValuesReadBack(epoll, ctx);
  }

  private void expectKeepAliveTimer(Vertx vertx, VertxTestContext ctx, HeartbeatService service,
      ServiceEvents events) {
    Checkpoint timerSeen = ctx.checkpoint();
    FrameClient.connect(vertx, service.port())
        // The opened event is published after the accepted socket has been tuned.
        .compose(client -> events.opened(client)
            .compose(opened -> vertx.executeBlocking(() -> serverEnd(service.port(), client))))
        .onComplete(ctx.succeeding(line -> ctx.verify(() -> {
          LOG.info("Server end of the connection: {}", line.trim());
          Matcher timer = KEEPALIVE_TIMER.matcher(line);
          assertTrue(timer.find(), "no keepalive timer on the server end: " + line);
          long remainingMs = ssMillis(timer.group(1));
          assertTrue(remainingMs > 0 && remainingMs <= config.tcpKeepAliveIdleSeconds() * 1000L,
              "keepalive timer " + timer.group(1) + " is not within the "
                  + config.tcpKeepAliveIdleSeconds() + " s idle time: " + line);
          timerSeen.flag();
        })));
  }

  private void expectTunedValuesReadBack(Vertx vertx, VertxTestContext ctx) {
    Checkpoint readBack = ctx.checkpoint();
    HeartbeatConfig settings = config;
    Promise<List<Object>> tuned = Promise.promise();
    vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0)
            .setTcpKeepAlive(true))
        .connectHandler(socket -> {
          Channel channel = ((NetSocketInternal) socket).channelHandlerContext().channel();
          boolean applied = new KeepAliveTuning(settings).apply(socket);
          tuned.complete(List.of(applied, channel.getClass().getSimpleName(),
              channel.config().getOption(ChannelOption.SO_KEEPALIVE), readBack(channel)));
        })
        .listen()
        .compose(server -> vertx.createNetClient().connect(server.actualPort(), "127.0.0.1"))
        .compose(client -> tuned.future())
        .onComplete(ctx.succeeding(values -> ctx.verify(() -> {
          assertEquals(true, values.get(0), "applied on " + values.get(1));
          assertEquals(true, values.get(2), "SO_KEEPALIVE on " + values.get(1));
          assertEquals(List.of(settings.tcpKeepAliveIdleSeconds(),
              settings.tcpKeepAliveIntervalSeconds(), settings.tcpKeepAliveCount()),
              values.get(3), "idle, interval, count read back from " + values.get(1));
          readBack.flag();
        })));
  }

  /** Idle, interval and count as the kernel reports them (getsockopt). */
  private static List<Integer> readBack(Channel channel) {
    if (channel instanceof EpollSocketChannel) {
      return List.of(channel.config().getOption(EpollChannelOption.TCP_KEEPIDLE),
          channel.config().getOption(EpollChannelOption.TCP_KEEPINTVL),
          channel.config().getOption(EpollChannelOption.TCP_KEEPCNT));
    }
    return List.of(
        channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE)),
        channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL)),
        channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT)));
  }

  /** The {@code ss} line of the server end of {@code client}'s connection (blocking). */
  private static String serverEnd(int port, FrameClient client)
      throws IOException, InterruptedException {
    Process ss = new ProcessBuilder("ss", "-tnoi", "state", "established",
        "( sport = :" + port + " and dport = :" + client.localPort() + " )")
        .redirectErrorStream(true).start();
    String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!ss.waitFor(5, TimeUnit.SECONDS) || ss.exitValue() != 0) {
      throw new IOException("ss failed: " + out);
    }
    return out.lines().filter(l -> l.contains(":" + client.localPort())).findFirst()
        .orElseThrow(() -> new IOException("ss does not list the server end: " + out));
  }

  private static long ssMillis(String text) {
    Matcher m = SS_DURATION.matcher(text);
    assertTrue(m.matches() && !text.isEmpty(), "unexpected ss duration " + text);
    long ms = m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 60_000;
    if (m.group(2) != null) {
      ms += Long.parseLong(m.group(2)) * 1000;
    } else if (m.group(3) != null) {
      ms += Long.parseLong(m.group(3)) * 1000 + Long.parseLong(m.group(4));
    } else if (m.group(5) != null) {
      ms += Long.parseLong(m.group(5));
    }
    return ms;
  }

  /** A second Vert.x on the native transport, closed after the test. */
  private Vertx nativeVertx() {
    nativeVertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
    Prerequisites.require(nativeVertx.isNativeTransportEnabled(),
        "native epoll transport unavailable: " + nativeVertx.unavailableNativeTransportCause(),
        "run on Linux x86-64 with netty-transport-native-epoll on the class path");
    return nativeVertx;
  }

  @AfterEach
  void closeNativeVertx() throws Exception {
    if (nativeVertx != null) {
      nativeVertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  private static void assumeSsPresent() {
    String path = System.getenv().getOrDefault("PATH", "");
    boolean present = Stream.of(path.split(File.pathSeparator))
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "ss")));
    Prerequisites.require(present, "ss is not on the PATH: cannot inspect the accepted"
        + " socket's keepalive timer", "apt-get install iproute2");
  }
}
