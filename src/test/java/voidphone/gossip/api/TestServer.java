package voidphone.gossip.api;

import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** An API server on its own one-thread loop, on a free loopback port, for socket tests. */
final class TestServer implements AutoCloseable {
  static final ApiSettings DEFAULTS = new ApiSettings(Duration.ofSeconds(10), 4 << 20, 4096);

  private final EventLoopGroup group;
  final ApiServer server;

  private TestServer(EventLoopGroup group, ApiServer server) {
    this.group = group;
    this.server = server;
  }

  static TestServer start() {
    return start(DEFAULTS, Spreader.LONE_NODE);
  }

  static TestServer start(ApiSettings settings, Spreader spreader) {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> type =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io);
    try {
      ApiServer server =
          ApiServer.bind(group.next(), type, new InetSocketAddress("127.0.0.1", 0), settings, spreader);
      return new TestServer(group, server);
    } catch (IOException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new AssertionError(e);
    }
  }

  InetSocketAddress address() {
    return server.localAddress();
  }

  TestApiClient client() {
    return TestApiClient.connect(address());
  }

  /** Runs {@code action} on the loop that owns the hub and returns its result. */
  <T> T onLoop(Function<ApiHub, T> action) {
    try {
      return server.loop().submit(() -> action.apply(server.hub())).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Waits until {@code count} connections are subscribed to {@code dataType}. */
  void awaitSubscribers(int dataType, int count) {
    await().until(() -> onLoop(hub -> hub.subscriberCount(dataType)) == count);
  }

  void awaitConnections(int count) {
    await().until(() -> onLoop(ApiHub::connectionCount) == count);
  }

  @Override
  public void close() {
    server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
