package voidphone.gossip.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The optional operator endpoint ({@code admin_address}): {@code GET /status} answers a JSON
 * {@link NodeStatus}, {@code GET /metrics} the Prometheus text format. Runs on the node's event loop,
 * so the suppliers read node state without locks. Requests are small and bounded (8 KiB, 10 s).
 */
public final class AdminServer {
  private static final int MAX_REQUEST_BYTES = 8 * 1024;

  private final Supplier<NodeStatus> status;
  private final Supplier<String> metrics;
  /** The page at {@code /} and its data ({@code /view}, {@code /graph}, {@code /events}); may be null. */
  private final LiveView live;
  private Channel server;
  /** The listener and every open HTTP connection: all closed with the node, whose loop may live on. */
  private ChannelGroup channels;

  public AdminServer(Supplier<NodeStatus> status, Supplier<String> metrics) {
    this(status, metrics, null);
  }

  /** Also serves {@code live}'s routes (docs/LIVE-VIEW.md). */
  public AdminServer(Supplier<NodeStatus> status, Supplier<String> metrics, LiveView live) {
    this.status = status;
    this.metrics = metrics;
    this.live = live;
  }

  /** Binds {@code address} on {@code loop}; returns the bound address. */
  public InetSocketAddress bind(EventLoop loop, Class<? extends ServerChannel> channelType, InetSocketAddress address)
      throws InterruptedException {
    ChannelGroup open = new DefaultChannelGroup("admin", loop);
    server =
        new ServerBootstrap()
            .group(loop)
            .channel(channelType)
            .childHandler(new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                open.add(ch);
                ch.pipeline()
                    .addLast(new ReadTimeoutHandler(10))
                    .addLast(new HttpServerCodec(4096, MAX_REQUEST_BYTES, MAX_REQUEST_BYTES))
                    .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                    .addLast(new Handler());
              }
            })
            .bind(address)
            .sync()
            .channel();
    open.add(server);
    channels = open;
    if (live != null) live.bound(loop, (InetSocketAddress) server.localAddress());
    return (InetSocketAddress) server.localAddress();
  }

  /**
   * Stops listening and closes every open connection (a keep-alive client would otherwise hold one
   * until its read timeout); the future completes when all are closed.
   */
  public Future<?> close() {
    if (channels == null) return ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);
    return channels.close();
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      String path = request.uri();
      int query = path.indexOf('?');
      if (query >= 0) path = path.substring(0, query);
      FullHttpResponse response;
      if (!request.method().equals(HttpMethod.GET)) {
        response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET\n", "text/plain");
      } else if (path.equals("/status")) {
        response = text(HttpResponseStatus.OK, status.get().toJson() + "\n", "application/json");
      } else if (path.equals("/metrics")) {
        response = text(HttpResponseStatus.OK, metrics.get(), "text/plain; version=0.0.4; charset=utf-8");
      } else if (live != null && live.serves(path)) {
        live.handle(ctx, request, path);
        return;
      } else {
        response = text(HttpResponseStatus.NOT_FOUND, "try /status or /metrics\n", "text/plain");
      }
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      HttpUtil.setKeepAlive(response, keepAlive);
      var written = ctx.writeAndFlush(response);
      if (!keepAlive) written.addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // a bad or slow HTTP client costs only its own connection
    }
  }

  private static FullHttpResponse text(HttpResponseStatus status, String body, String type) {
    var response = new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    return response;
  }
}
