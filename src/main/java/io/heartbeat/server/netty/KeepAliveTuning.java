package io.heartbeat.server.netty;

import io.heartbeat.config.HeartbeatConfig;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies kernel TCP keepalive idle, interval and count to an accepted socket.
 *
 * <p>Vert.x 5.0.x exposes only keepalive on/off (the timings arrive in 5.1); the three timings
 * need Netty channel options (epoll) or JDK extended socket options (NIO) on the socket's
 * channel, which a {@code NetSocket} yields only through Vert.x's internal API: that is why this
 * class lives in the one package that may use it. Failure to apply is logged once per process.
 */
public final class KeepAliveTuning {

  private static final Logger LOG = LoggerFactory.getLogger(KeepAliveTuning.class);
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private final int idleSeconds;
  private final int intervalSeconds;
  private final int count;

  /** @param config tcpKeepAliveIdleSeconds, tcpKeepAliveIntervalSeconds, tcpKeepAliveCount */
  public KeepAliveTuning(HeartbeatConfig config) {
    this.idleSeconds = config.tcpKeepAliveIdleSeconds();
    this.intervalSeconds = config.tcpKeepAliveIntervalSeconds();
    this.count = config.tcpKeepAliveCount();
  }

  /** Sets the timings on a Vert.x socket; returns whether all three were accepted. */
  public boolean apply(NetSocket socket) {
    return apply(((NetSocketInternal) socket).channelHandlerContext().channel());
  }

  /** Sets the timings on {@code channel}; returns whether all three were accepted. */
  boolean apply(Channel channel) {
    boolean ok;
    try {
      if (channel instanceof EpollSocketChannel) {
        ok = channel.config().setOption(EpollChannelOption.TCP_KEEPIDLE, idleSeconds)
            & channel.config().setOption(EpollChannelOption.TCP_KEEPINTVL, intervalSeconds)
            & channel.config().setOption(EpollChannelOption.TCP_KEEPCNT, count);
      } else {
        ok = channel.config().setOption(
            NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), idleSeconds)
            & channel.config().setOption(
            NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), intervalSeconds)
            & channel.config().setOption(
            NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), count);
      }
    } catch (RuntimeException | LinkageError e) {
      ok = false;
    }
    if (!ok && WARNED.compareAndSet(false, true)) {
      LOG.warn("tcpKeepAlive is on but tcpKeepAliveIdleSeconds/IntervalSeconds/Count could not be"
          + " applied on the {} transport; the kernel's keepalive timings stay in force"
          + " (see sysctl net.ipv4.tcp_keepalive_*)", channel.getClass().getSimpleName());
    }
    return ok;
  }
}
