package io.heartbeat.loadgen;

import io.heartbeat.protocol.FrameEncoder;
import io.heartbeat.protocol.FrameType;
import io.heartbeat.protocol.Hello;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One bounded load: opens the connections at the configured rate, drives heartbeats from one
 * 1 ms timer over evenly spread slots (slot s of the run belongs to connection s mod N and is
 * due at start + s x interval / N), freezes a fraction of the connections at the given time and
 * ends after the duration. Everything runs on one event loop, so counters need no locking.
 */
final class LoadRun {

  private static final int MAX_CONNECTING = 1024;

  private final Vertx vertx;
  private final LoadSettings settings;
  private final PrintStream progressOut;
  private final LoadConnection[] conns;
  private final List<NetClient> clients = new ArrayList<>();
  private final Buffer heartbeat;
  private final Buffer ack;
  private final ServerSampler sampler;
  private final FrameEncoder encoder;
  /** Session mode: the token of connection i, or null for none. */
  private final SessionTokens tokens;
  final LoadStats stats = new LoadStats();
  private final Promise<LoadStats> done = Promise.promise();

  private long startNanos;
  private long intervalNanos;
  private long nextSlot;
  private int nextToOpen;
  private int connecting;
  private double connectBudget;
  private long lastRampNanos;
  private long steadyStartNanos = Long.MAX_VALUE;
  private long rampTimer = -1;
  private long sendTimer = -1;
  private long progressTimer = -1;

  LoadRun(Vertx vertx, LoadSettings settings, SessionTokens tokens, PrintStream progressOut) {
    this.vertx = vertx;
    this.settings = settings;
    this.tokens = tokens;
    this.progressOut = progressOut;
    this.conns = new LoadConnection[settings.conns];
    this.encoder = new FrameEncoder(settings.byteOrder);
    this.heartbeat = Buffer.buffer(ByteBufUtil.getBytes(encoder.encode(FrameType.HEARTBEAT, null)));
    this.ack = Buffer.buffer(ByteBufUtil.getBytes(encoder.encode(FrameType.HEARTBEAT_ACK, null)));
    this.sampler = settings.serverPid > 0 ? new ServerSampler(settings.serverPid) : null;
    stats.connsTarget = settings.conns;
    stats.intervalMs = settings.intervalMs;
    stats.settleS = settings.settleS;
    stats.sessions = settings.sessions();
  }

  LoadSettings settings() {
    return settings;
  }

  /** Runs the load on the current Vert.x context; the future completes after the duration. */
  Future<LoadStats> start() {
    for (int i = 0; i < settings.srcIps; i++) {
      NetClientOptions options = new NetClientOptions()
          .setConnectTimeout(settings.connectTimeoutS * 1000)
          .setTcpNoDelay(true);
      if (settings.srcIps > 1) {
        // Binding first makes bind() search a free port per address (Vert.x 5.0 cannot set
        // IP_BIND_ADDRESS_NO_PORT), so a single source is left to connect(), which is cheaper.
        options.setLocalAddress(settings.sourceAddress(i));
      }
      clients.add(vertx.createNetClient(options));
    }
    startNanos = System.nanoTime();
    lastRampNanos = startNanos;
    intervalNanos = settings.intervalMs * 1_000_000;
    if (sampler != null) {
      stats.serverStart = sampler.sample();
    }
    rampTimer = vertx.setPeriodic(10, t -> ramp());
    sendTimer = vertx.setPeriodic(1, t -> sendDue());
    if (settings.progressS > 0) {
      progressTimer = vertx.setPeriodic(settings.progressS * 1000L, t -> progress());
    }
    if (settings.freezeFraction > 0) {
      vertx.setTimer(Math.max(1, (long) (settings.freezeAtS * 1000)), t -> freeze());
    }
    vertx.setTimer(settings.durationS * 1000L, t -> finish());
    return done.future();
  }

  Buffer heartbeatFrame() {
    return heartbeat;
  }

  Buffer ackFrame() {
    return ack;
  }

  private void ramp() {
    long now = System.nanoTime();
    connectBudget = Math.min(MAX_CONNECTING,
        connectBudget + settings.connectRate * (now - lastRampNanos) / 1e9);
    lastRampNanos = now;
    while (connectBudget >= 1 && connecting < MAX_CONNECTING && nextToOpen < conns.length) {
      connectBudget--;
      open(nextToOpen++);
    }
    if (nextToOpen == conns.length && connecting == 0) {
      vertx.cancelTimer(rampTimer);
      stats.rampS = (now - startNanos) / 1e9;
      steadyStartNanos = now + settings.settleS * 1_000_000_000L;
      vertx.setTimer(Math.max(1, settings.settleS * 1000L), t -> {
        if (sampler != null) {
          stats.serverSteady = sampler.sample();
        }
      });
    }
  }

  private void open(int i) {
    connecting++;
    LoadConnection c = new LoadConnection(this, settings.sessions() ? hello(i) : null);
    clients.get(i % settings.srcIps).connect(settings.port, settings.host).onComplete(ar -> {
      connecting--;
      if (ar.succeeded()) {
        conns[i] = c;
        c.attach(ar.result());
        stats.opened++;
      } else {
        stats.connectFailures++;
        stats.lastConnectError = String.valueOf(ar.cause().getMessage());
      }
    });
  }

  private Buffer hello(int i) {
    Hello hello = new Hello((int) settings.intervalMs, settings.clientId(i),
        tokens == null ? "" : tokens.token(i));
    return Buffer.buffer(ByteBufUtil.getBytes(encoder.encode(FrameType.HELLO,
        hello.payload(settings.byteOrder))));
  }

  private void sendDue() {
    long now = System.nanoTime();
    int n = conns.length;
    while (true) {
      long due = startNanos + nextSlot / n * intervalNanos + (nextSlot % n) * intervalNanos / n;
      if (due - now > 0) {
        return;
      }
      LoadConnection c = conns[(int) (nextSlot % n)];
      nextSlot++;
      if (c != null && c.heartbeat(due)) {
        stats.hbSent++;
        if (due - steadyStartNanos >= 0) {
          stats.hbSentSteady++;
        }
      }
    }
  }

  private void freeze() {
    double f = settings.freezeFraction;
    for (int i = 0; i < conns.length; i++) {
      // Spread evenly over the index range: i is frozen when floor((i+1)f) > floor(i f).
      if (Math.floor((i + 1) * f) > Math.floor(i * f) && conns[i] != null && conns[i].isOpen()) {
        conns[i].freeze();
        stats.frozen++;
      }
    }
    progressOut.printf("t=%.1fs froze %d connections%n", elapsed(), stats.frozen);
  }

  private void progress() {
    progressOut.printf("t=%5.1fs open %d connecting %d failed %d | acks/s %d | rtt p50 %d us"
            + " p99 %d us | closes: unexpected %d frozen %d%n", elapsed(), openCount(),
        connecting, stats.connectFailures, stats.window.count() / Math.max(1, settings.progressS),
        stats.window.quantile(0.5), stats.window.quantile(0.99), stats.unexpectedCloses,
        stats.frozenClosed);
    stats.window.clear();
  }

  private void finish() {
    vertx.cancelTimer(sendTimer);
    vertx.cancelTimer(rampTimer);
    if (progressTimer >= 0) {
      vertx.cancelTimer(progressTimer);
    }
    long now = System.nanoTime();
    stats.elapsedS = (now - startNanos) / 1e9;
    stats.steadyS = steadyStartNanos == Long.MAX_VALUE ? 0 : Math.max(0,
        (now - steadyStartNanos) / 1e9);
    stats.openAtEnd = openCount();
    for (LoadConnection c : conns) {
      if (c != null && c.isOpen() && c.isFrozen()) {
        stats.frozenOpenAtEnd++;
      }
    }
    if (sampler != null) {
      stats.serverEnd = sampler.sample();
      stats.serverAlive = sampler.alive();
    }
    for (LoadConnection c : conns) {
      if (c != null) {
        c.close();
      }
    }
    done.complete(stats);
  }

  private int openCount() {
    int open = 0;
    for (LoadConnection c : conns) {
      if (c != null && c.isOpen()) {
        open++;
      }
    }
    return open;
  }

  private double elapsed() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  void ack(long intendedNanos, long nowNanos) {
    long rttUs = (nowNanos - intendedNanos) / 1000;
    stats.acks++;
    stats.rtt.record(rttUs);
    stats.window.record(rttUs);
    if (intendedNanos - steadyStartNanos >= 0) {
      stats.acksSteady++;
      stats.rttSteady.record(rttUs);
    }
  }

  void blocked() {
    stats.hbBlocked++;
  }

  void badFrame() {
    stats.badFrames++;
  }

  void probe() {
    stats.probes++;
  }

  void data() {
    stats.dataFrames++;
  }

  void goodbye(String reason) {
    stats.goodbyes++;
    stats.goodbyeReasons.merge(reason, 1, Integer::sum);
  }

  void welcome(long helloToWelcomeNanos, int grantedIntervalMs, long nowNanos) {
    stats.welcomed++;
    stats.welcomeUs.record(helloToWelcomeNanos / 1000);
    stats.lastWelcomeS = (nowNanos - startNanos) / 1e9;
    if (grantedIntervalMs != settings.intervalMs) {
      // This load heartbeats at --interval-ms; a different grant would skew every figure.
      stats.grantMismatches++;
    }
  }

  void frozenClosed(long detectMs) {
    stats.frozenClosed++;
    stats.detectMs.record(detectMs);
  }

  void unexpectedClose() {
    stats.unexpectedCloses++;
  }
}
