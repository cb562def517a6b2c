package voidphone.gossip.link;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslClosedEngineException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import voidphone.gossip.core.DialFailure;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.PeerAddress;

/**
 * One peer connection, from TCP accept or connect to close: waits for TLS, checks the proven identity,
 * exchanges HELLO, then carries frames between the peer and the {@link LinkManager}. Runs on the
 * node's event loop, like the manager, so the two share state without locks.
 *
 * <p>Writes are batched: the frames queued to this peer during one turn of the loop are appended to
 * one buffer (of at most {@link #BATCH_BYTES}, or one larger frame), which a task after the loop's
 * current work writes and flushes, so they leave as one TLS record and one write instead of one of
 * each per frame; under load a link carries several frames per turn (docs/BENCHMARKS.md, soak). A
 * close, and a REFUSE, write what was queued before them first.
 */
final class LinkHandler extends ChannelDuplexHandler {
  private enum State { HANDSHAKING, AWAITING_HELLO, AWAITING_ACCEPT, ESTABLISHED, CLOSED }

  /** Frames queued in one turn are written together up to this many bytes (one TLS record's worth). */
  static final int BATCH_BYTES = 16 * 1024;

  private final LinkManager manager;
  final boolean outbound;
  /** For dials: the address dialled and the identity expected there (null when unknown, e.g. a bootstrapper). */
  final PeerAddress dialled;
  final NodeId expected;

  private State state = State.HANDSHAKING;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> handshakeTimeout;
  NodeId peer;
  LinkInfo info;
  /** Whether both sides accepted each other; a link that never got here was a failed handshake. */
  boolean wasUp;
  /** A second link to a linked peer: receives, never sends, so it dies of idleness at both ends. */
  boolean spare;
  /** Set when this side decided to close, so the reason logged is ours rather than "closed". */
  private String closeReason;
  /** What kind of failure ended a dial before its link was up; null: a generic handshake failure. */
  private DialFailure failure;
  private long unwritableSinceNanos = -1;
  private long pingToken;
  /** When the PING with {@link #pingToken} went out, for the round trip its PONG measures; 0: none out. */
  private long pingSentNanos;
  /**
   * When a frame was last queued to this peer, for the keepalive: a timer checks it, rather than
   * Netty's writer-idle detection, which puts a fresh promise and a listener on every write (13 %
   * of the loops' profile samples at degree 30, docs/BENCHMARKS.md).
   */
  private long lastWriteNanos = System.nanoTime();
  private ScheduledFuture<?> keepaliveTimer;
  /** Frames queued since the last flush, null when none; see the class comment. */
  private ByteBuf batch;
  private boolean flushScheduled;
  private final Runnable flushTask = this::flushBatch;

  LinkHandler(LinkManager manager, boolean outbound, PeerAddress dialled, NodeId expected) {
    this.manager = manager;
    this.outbound = outbound;
    this.dialled = dialled;
    this.expected = expected;
  }

  /** Why this dial failed, for a link that closed before it was up. */
  DialFailure failure() {
    return failure != null ? failure : DialFailure.HANDSHAKE;
  }

  InetSocketAddress remote() {
    return (InetSocketAddress) ctx.channel().remoteAddress();
  }

  Channel channel() {
    return ctx.channel();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    long millis = manager.settings.handshakeTimeout().toMillis();
    handshakeTimeout =
        ctx.executor().schedule(() -> close("handshake not complete after " + millis + " ms"), millis, TimeUnit.MILLISECONDS);
    long keepalive = manager.settings.keepaliveInterval().toNanos();
    keepaliveTimer = ctx.executor().scheduleAtFixedRate(
        () -> keepAlive(keepalive), keepalive, Math.max(1, keepalive / 4), TimeUnit.NANOSECONDS);
    ctx.fireChannelActive();
  }

  /** Pings an up link that nothing was written to for {@code intervalNanos} (checked 4 times per interval). */
  private void keepAlive(long intervalNanos) {
    if (state == State.ESTABLISHED && !spare && System.nanoTime() - lastWriteNanos >= intervalNanos) {
      write(LinkManager.CONTROL, new ControlMessage.Ping(++pingToken));
      pingSentNanos = System.nanoTime();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      onTlsDone(done);
    } else if (evt instanceof IdleStateEvent idle) {
      onIdle(idle);
    }
  }

  private void onTlsDone(SslHandshakeCompletionEvent done) {
    if (state != State.HANDSHAKING) return;
    if (!done.isSuccess()) {
      close("TLS handshake failed: " + rootMessage(done.cause()));
      return;
    }
    try {
      Certificate[] chain = ctx.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates();
      // the trust manager verified the certificate and its hostkey binding during the handshake
      peer = PeerCertificates.identityOf((X509Certificate) chain[0]);
    } catch (SSLPeerUnverifiedException e) {
      close("peer presented no certificate");
      return;
    } catch (CertificateException e) {
      close("peer certificate: " + e.getMessage());
      return;
    }
    if (peer.equals(manager.self)) {
      failure = DialFailure.SELF;
      close("link to self");
      return;
    }
    if (expected != null && !expected.equals(peer)) {
      failure = DialFailure.WRONG_IDENTITY;
      close("expected identity " + expected.shortHex() + " at " + dialled + " but the key proves " + peer.shortHex());
      return;
    }
    state = State.AWAITING_HELLO;
    write(LinkManager.CONTROL, manager.hello());
  }

  private void onIdle(IdleStateEvent idle) {
    // Only an up link is expected to hear keepalives; a handshake has its own, longer timeout.
    if (idle.state() == IdleState.READER_IDLE && state == State.ESTABLISHED) {
      close("no frame for " + manager.settings.deadAfter().toMillis() + " ms, peer presumed dead");
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    try {
      if (state == State.CLOSED) return;
      if (!frame.isReadable()) throw new LinkProtocolException("empty frame");
      int channel = frame.readUnsignedByte();
      if (channel == LinkManager.CONTROL) {
        onControl(ControlCodec.decode(frame));
      } else if (state != State.ESTABLISHED) {
        throw new LinkProtocolException("channel " + channel + " frame before the handshake completed");
      } else {
        manager.onMessage(this, channel, frame);
      }
    } catch (LinkProtocolException e) {
      // the REFUSE first: the node may ban the peer for this violation, and a ban closes the link
      // at once, which would leave the peer without the reason the protocol promises it
      refuse(ControlMessage.Reason.PROTOCOL_VIOLATION, e.getMessage());
      manager.onViolation(this, e.getMessage());
    } finally {
      frame.release();
    }
  }

  private void onControl(ControlMessage m) throws LinkProtocolException {
    switch (m) {
      case ControlMessage.Hello hello -> {
        if (state != State.AWAITING_HELLO) throw new LinkProtocolException("unexpected HELLO");
        onHello(hello);
      }
      case ControlMessage.Accept accept -> {
        if (state != State.AWAITING_ACCEPT) throw new LinkProtocolException("unexpected ACCEPT");
        handshakeTimeout.cancel(false);
        state = State.ESTABLISHED;
        wasUp = true;
        manager.onEstablished(this);
      }
      case ControlMessage.Ping ping -> {
        if (state != State.ESTABLISHED) throw new LinkProtocolException("PING before HELLO");
        write(LinkManager.CONTROL, new ControlMessage.Pong(ping.token()));
      }
      case ControlMessage.Pong pong -> { // any inbound frame resets the reader-idle timer
        if (pong.token() == pingToken && pingSentNanos != 0) {
          manager.roundTrip(System.nanoTime() - pingSentNanos);
          pingSentNanos = 0;
        }
      }
      case ControlMessage.Refuse refuse -> {
        failure = DialFailure.REFUSED;
        close(refusedByPeer(refuse));
      }
    }
  }

  /**
   * Why the peer refused this node, as an operator reads it: for a proof of work that falls short,
   * what the peer requires (its detail), what this node's proof has, and what to set.
   */
  private String refusedByPeer(ControlMessage.Refuse refuse) {
    String why = "refused by the peer, " + refuse.reason() + ": " + refuse.detail();
    if (refuse.reason() == ControlMessage.Reason.PROOF_OF_WORK) {
      why += "; this node's proof has " + manager.ownProofBits()
          + " leading zero bits: set pow_difficulty here to at least what the peer requires and restart";
    }
    return why;
  }

  private void onHello(ControlMessage.Hello hello) {
    int version = Math.min(hello.maxVersion(), LinkSettings.PROTOCOL_VERSION);
    if (version < hello.minVersion() || hello.maxVersion() < LinkSettings.PROTOCOL_VERSION) {
      failure = DialFailure.REFUSED;
      refuse(ControlMessage.Reason.PROTOCOL_VERSION,
          "peer speaks " + hello.minVersion() + ".." + hello.maxVersion() + ", we speak " + LinkSettings.PROTOCOL_VERSION);
      return;
    }
    IdentityPolicy.Refusal refusal = manager.policy.check(peer, hello.powNonce());
    if (refusal != null) {
      failure = DialFailure.REFUSED;
      manager.onRefused(this, refusal);
      refuse(refusal.reason(), refusal.detail());
      return;
    }
    info = new LinkInfo(peer, listenAddressOf(hello.listenAddress()), remote(), dialled);
    state = State.AWAITING_ACCEPT;
    write(LinkManager.CONTROL, new ControlMessage.Accept());
  }

  /** A peer listening on a wildcard address is reachable where it connected from. */
  private PeerAddress listenAddressOf(PeerAddress advertised) {
    String host = advertised.host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0")) {
      return new PeerAddress(remote().getAddress().getHostAddress(), advertised.port());
    }
    return advertised;
  }

  /**
   * Queues one frame, written with the others of this turn (the body is released); returns false
   * when it was dropped because the peer is not keeping up.
   */
  boolean write(int channel, ByteBuf body) {
    if (state == State.CLOSED) {
      body.release();
      return false;
    }
    if (!ctx.channel().isWritable()) {
      body.release(); // Plumtree repairs what a slow peer misses; memory stays bounded
      return false;
    }
    try {
      int size = 5 + body.readableBytes();
      if (batch != null && batch.maxWritableBytes() < size) flushBatch();
      if (batch == null) batch = ctx.alloc().ioBuffer(Math.min(size * 4, BATCH_BYTES), Math.max(size, BATCH_BYTES));
      batch.writeInt(size - 4).writeByte(channel).writeBytes(body);
    } finally {
      body.release();
    }
    if (!flushScheduled) {
      flushScheduled = true;
      ctx.executor().execute(flushTask);
    }
    lastWriteNanos = System.nanoTime();
    return true;
  }

  /** Writes and flushes the frames queued since the last flush, if any. */
  private void flushBatch() {
    flushScheduled = false;
    if (batch == null) return;
    ByteBuf whole = batch;
    batch = null;
    ctx.writeAndFlush(whole, ctx.voidPromise());
  }

  /** Bytes of frames queued and not yet handed to the channel (they are, by the end of the turn). */
  int batchedBytes() {
    return batch == null ? 0 : batch.readableBytes();
  }

  private void write(int channel, ControlMessage m) {
    ByteBuf body = ctx.alloc().buffer(64);
    ControlCodec.encode(m, body);
    write(channel, body);
  }

  /**
   * A peer whose send queue stays full for {@code stallTimeout} is disconnected: it is not reading,
   * and every frame to it is being dropped anyway. Checked by a timer, not on the next send, so a
   * stalled peer is let go even when nothing more is sent to it.
   */
  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      unwritableSinceNanos = -1;
    } else if (unwritableSinceNanos < 0) {
      long since = System.nanoTime();
      unwritableSinceNanos = since;
      long millis = manager.settings.stallTimeout().toMillis();
      ctx.executor().schedule(() -> {
        if (unwritableSinceNanos == since) close("stalled: send queue full for " + millis + " ms");
      }, millis, TimeUnit.MILLISECONDS);
    }
    ctx.fireChannelWritabilityChanged();
  }

  /** Tells the peer why, then closes once that is written. */
  void refuse(ControlMessage.Reason reason, String detail) {
    if (state == State.CLOSED) return;
    if (state != State.HANDSHAKING) {
      flushBatch(); // what was queued before the REFUSE goes first
      ByteBuf body = ctx.alloc().buffer(64);
      ControlCodec.encode(new ControlMessage.Refuse(reason, detail), body);
      ByteBuf header = ctx.alloc().buffer(5).writeInt(1 + body.readableBytes()).writeByte(LinkManager.CONTROL);
      ctx.write(header, ctx.voidPromise());
      closeReason = "this node refused the peer, " + reason + ": " + detail;
      state = State.CLOSED;
      ctx.writeAndFlush(body).addListener(ChannelFutureListener.CLOSE);
    } else {
      close(reason + ": " + detail);
    }
  }

  void close(String reason) {
    if (state == State.CLOSED) return;
    closeReason = reason;
    state = State.CLOSED;
    flushBatch();
    ctx.close();
  }

  /** A close from outside (the manager's shutdown closes every channel): what was queued goes first. */
  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    flushBatch();
    ctx.close(promise);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (batch != null) {
      batch.release();
      batch = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (handshakeTimeout != null) handshakeTimeout.cancel(false);
    if (keepaliveTimer != null) keepaliveTimer.cancel(false);
    state = State.CLOSED;
    manager.onClosed(this, closeReason != null ? closeReason : "closed by peer");
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      manager.onViolation(this, "oversized frame: " + cause.getMessage());
      close("oversized frame");
    } else if (cause instanceof SslClosedEngineException) {
      // the peer closed TLS (BoringSSL reports it when we write after its close_notify). What it
      // sent before closing, such as a REFUSE with its reason, is still being read; the close itself
      // is reported by channelInactive, so this must not win the race with a reason of its own
      return;
    } else if (cause instanceof DecoderException && cause.getCause() instanceof SSLException ssl) {
      close("TLS error: " + rootMessage(ssl));
    } else {
      close(cause.getClass().getSimpleName() + ": " + rootMessage(cause));
    }
  }

  /** The innermost cause's message, cut short: some TLS errors quote the whole offending record. */
  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String m = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    return m.length() > 100 ? m.substring(0, 100) + "..." : m;
  }
}
