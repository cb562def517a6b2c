package voidphone.gossip.api;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One API connection as the hub sees it: passes decoded messages to the hub and writes the hub's
 * notifications, each as one whole frame.
 *
 * <p>Flushes are batched: a notification is written at once but flushed by a task that runs after
 * the loop's current work, so a burst of notifications to one client leaves in few syscalls. A
 * batch is flushed early once it holds {@link #FLUSH_THRESHOLD_BYTES}, so unflushed bytes never
 * count much against the slow-consumer limit.
 *
 * <p>Slow consumers: the channel's high write-buffer watermark is the configured send buffer; when
 * the bytes queued for this client pass it (it stopped reading), the connection is closed rather
 * than let memory grow or hold up other clients.
 */
final class ApiConnectionHandler extends ChannelInboundHandlerAdapter implements ClientLink {
  private static final Logger log = LoggerFactory.getLogger(ApiConnectionHandler.class);
  static final int FLUSH_THRESHOLD_BYTES = 32 * 1024;

  private final ApiHub hub;
  private final int sendBufferBytes;
  private ChannelHandlerContext ctx;
  private ApiSession session;
  private String remote = "?";
  private boolean flushScheduled;
  private int unflushedBytes;
  private final Runnable flushTask = this::flushNow;

  ApiConnectionHandler(ApiHub hub, int sendBufferBytes) {
    this.hub = hub;
    this.sendBufferBytes = sendBufferBytes;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    this.remote = Addresses.format(ctx.channel().remoteAddress());
    this.session = hub.connected(this);
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    hub.received(session, (ApiMessage) msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (session != null) {
      hub.disconnected(session);
    }
    super.channelInactive(ctx);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (!ctx.channel().isWritable() && session != null) {
      hub.dropSlowConsumer(
          session,
          "more than "
              + sendBufferBytes
              + " bytes of notifications unread (api_send_buffer_bytes)");
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      // a client that resets its connection is an ordinary event, not a bug
      log.debug("API client {} connection failed: {}", remote, cause.getMessage());
    } else {
      log.error("API client {}: unexpected error, closing its connection", remote, cause);
    }
    ctx.close();
  }

  @Override
  public void sendNotification(int messageId, int dataType, byte[] data) {
    int size = ApiMessage.FIXED_SIZE + data.length;
    ByteBuf frame = ctx.alloc().ioBuffer(size, size);
    frame
        .writeShort(size)
        .writeShort(ApiMessage.TYPE_NOTIFICATION)
        .writeShort(messageId)
        .writeShort(dataType)
        .writeBytes(data);
    ctx.write(frame, ctx.voidPromise());
    unflushedBytes += size;
    if (unflushedBytes >= FLUSH_THRESHOLD_BYTES) {
      flushNow();
    } else if (!flushScheduled) {
      flushScheduled = true;
      ctx.executor().execute(flushTask);
    }
  }

  private void flushNow() {
    flushScheduled = false;
    unflushedBytes = 0;
    ctx.flush();
  }

  @Override
  public void closeSlowConsumer(String reason) {
    log.warn("API client {} is a slow consumer, closing its connection: {}", remote, reason);
    ctx.close();
  }

  @Override
  public String describe() {
    return remote;
  }
}
