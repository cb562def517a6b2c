package voidphone.gossip.api;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.PromiseCombiner;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP server local modules connect to. The listening socket, every client connection and the
 * {@link ApiHub} all live on one event loop, the thread that owns the node's state.
 *
 * <p>Bounds: at most {@link ApiSettings#maxConnections()} connections (more are closed on accept
 * with one WARN line each); per connection, at most {@link ApiSettings#sendBufferBytes()} queued
 * outbound bytes (then it is closed as a slow consumer) and one frame of at most 65,535 bytes of
 * buffered input.
 */
public final class ApiServer {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  private final EventLoop loop;
  private final ApiHub hub;
  private final Channel listener;
  private final ChannelGroup clients;

  private ApiServer(EventLoop loop, ApiHub hub, Channel listener, ChannelGroup clients) {
    this.loop = loop;
    this.hub = hub;
    this.listener = listener;
    this.clients = clients;
  }

  /**
   * Listens on {@code address} and serves API clients on {@code loop}.
   *
   * @param channelType the server channel class matching the loop's I/O handler (epoll or NIO)
   * @param spreader where local ANNOUNCEs go
   * @throws IOException when the address cannot be bound, naming the address and the cause
   */
  public static ApiServer bind(
      EventLoop loop,
      Class<? extends ServerChannel> channelType,
      InetSocketAddress address,
      ApiSettings settings,
      Spreader spreader)
      throws IOException {
    ApiHub hub = new ApiHub(spreader, new EventLoopScheduler(loop), settings.validationTimeout());
    ChannelGroup clients = new DefaultChannelGroup("api-clients", loop);
    int high = settings.sendBufferBytes();
    ChannelFuture bound =
        new ServerBootstrap()
            .group(loop, loop)
            .channel(channelType)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high))
            .childHandler(new ConnectionLimit(hub, settings, clients))
            .bind(address)
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new IOException(
          "cannot listen for API clients on "
              + Addresses.format(address)
              + ": "
              + bound.cause().getMessage(),
          bound.cause());
    }
    return new ApiServer(loop, hub, bound.channel(), clients);
  }

  /** The bound address: the real port when the configured port was 0. */
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) listener.localAddress();
  }

  /** The hub; use it only on {@link #loop()}. */
  public ApiHub hub() {
    return hub;
  }

  /** The event loop that owns the hub and every API connection. */
  public EventLoop loop() {
    return loop;
  }

  /** Stops listening and closes every client connection; the future completes when all are closed. */
  public Future<Void> close() {
    Promise<Void> done = loop.newPromise();
    loop.execute(
        () -> {
          PromiseCombiner all = new PromiseCombiner(loop);
          all.add(listener.close());
          all.add(clients.close());
          all.finish(done);
        });
    return done;
  }

  /**
   * Takes a new connection if the connection limit allows, else closes it at once. Counting here, before the
   * connection reaches the hub, keeps a flood of connects from costing more than an accept and a
   * close each.
   */
  private static final class ConnectionLimit extends ChannelInitializer<Channel> {
    private final ApiHub hub;
    private final ApiSettings settings;
    private final ChannelGroup clients;
    private int open;

    ConnectionLimit(ApiHub hub, ApiSettings settings, ChannelGroup clients) {
      this.hub = hub;
      this.settings = settings;
      this.clients = clients;
    }

    @Override
    protected void initChannel(Channel ch) {
      if (open >= settings.maxConnections()) {
        log.warn(
            "API client {} refused: already {} connections (api_max_connections)",
            Addresses.format(ch.remoteAddress()),
            open);
        ch.close();
        return;
      }
      open++;
      ch.closeFuture().addListener(f -> open--);
      clients.add(ch);
      ch.pipeline()
          .addLast(new ApiFrameDecoder(), new ApiConnectionHandler(hub, settings.sendBufferBytes()));
    }
  }
}
