package voidphone.gossip.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import voidphone.gossip.core.DialFailure;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.PeerAddress;

/** A LinkManager on its own event loop that records what its listener hears. */
final class TestPeer implements LinkListener, AutoCloseable {
  sealed interface Event {}
  record Up(LinkInfo link) implements Event {}
  record Down(LinkInfo link, String reason) implements Event {}
  record Message(NodeId from, int channel, String text) implements Event {}
  record DialFailed(PeerAddress address, DialFailure failure, String reason) implements Event {}
  record AlreadyLinked(PeerAddress address, LinkInfo link) implements Event {}

  final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  final EventLoop loop;
  final LinkManager manager;
  final PeerAddress address;
  /**
   * Whether a peer's violation closes its link at once, as it does in a node (a violation bans, and
   * a ban closes the link): set before the peer misbehaves.
   */
  volatile boolean closesOnViolation;

  TestPeer(EventLoop loop, KeyPair keys, LinkSettings settings, IdentityPolicy policy) throws Exception {
    this.loop = loop;
    this.manager = new LinkManager(keys, 0, settings, loop, Transport.best(), policy, this);
    InetSocketAddress bound = onLoop(() -> manager.listen(new InetSocketAddress("127.0.0.1", 0), "127.0.0.1"))
        .get(5, TimeUnit.SECONDS);
    this.address = new PeerAddress("127.0.0.1", bound.getPort());
  }

  NodeId id() {
    return manager.self();
  }

  <T> T onLoop(Callable<T> task) throws Exception {
    return loop.submit(task).get(5, TimeUnit.SECONDS);
  }

  void dial(TestPeer other, NodeId expected) throws Exception {
    onLoop(() -> {
      manager.dial(other.address, expected);
      return null;
    });
  }

  boolean send(NodeId to, String text) throws Exception {
    return onLoop(() -> manager.send(to, 1, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
  }

  <E extends Event> E next(Class<E> type) throws InterruptedException {
    Event e = events.poll(10, TimeUnit.SECONDS);
    assertThat(e).as("expected a %s event", type.getSimpleName()).isInstanceOf(type);
    return type.cast(e);
  }

  /** The next event of {@code type}, passing over events of {@code ignored} that may or may not come first. */
  <E extends Event> E next(Class<E> type, Class<? extends Event> ignored) throws InterruptedException {
    while (true) {
      Event e = events.poll(10, TimeUnit.SECONDS);
      if (ignored.isInstance(e)) continue;
      assertThat(e).as("expected a %s event", type.getSimpleName()).isInstanceOf(type);
      return type.cast(e);
    }
  }

  /** Asserts nothing arrives within a short window (used after the decisive event was awaited). */
  void expectQuiet(long millis) throws InterruptedException {
    assertThat(events.poll(millis, TimeUnit.MILLISECONDS)).isNull();
  }

  @Override
  public void linkUp(LinkInfo link) {
    events.add(new Up(link));
  }

  @Override
  public void linkDown(LinkInfo link, String reason) {
    events.add(new Down(link, reason));
  }

  @Override
  public void message(LinkInfo link, int channel, ByteBuf body) {
    events.add(new Message(link.peer(), channel, body.toString(StandardCharsets.UTF_8)));
  }

  @Override
  public void violation(NodeId peer, String what) {
    if (closesOnViolation) manager.close(peer, "banned");
  }

  @Override
  public void dialFailed(PeerAddress address, NodeId expected, DialFailure failure, String reason) {
    events.add(new DialFailed(address, failure, reason));
  }

  @Override
  public void alreadyLinked(PeerAddress address, LinkInfo link) {
    events.add(new AlreadyLinked(address, link));
  }

  @Override
  public void close() throws Exception {
    onLoop(() -> manager.shutdown()).await(5, TimeUnit.SECONDS);
  }
}
