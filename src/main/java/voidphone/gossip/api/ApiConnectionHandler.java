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
 * <p>Writes are batched: notifications are appended whole to one buffer of about {@link
 * #BATCH_BYTES}, which is written and flushed by a task that runs after the loop's current work, or
 * at once when the next notification does not fit. A burst of notifications to one client thus
 * leaves in few syscalls and costs Netty one queued buffer per batch instead of one per message;
 * every message is still written whole. A batch is small next to the slow-consumer limit, which
 * counts only what was handed to Netty.
 *
 * <p>Slow consumers: the channel's high write-buffer watermark is the configured send buffer; when
 * the bytes queued for this client pass it (it stopped reading), the connection is closed rather
 * than let memory grow or hold up other clients.
 */
final class ApiConnectionHandler extends ChannelInboundHandlerAdapter implements ClientLink {
  private static final Logger log = LoggerFactory.getLogger(ApiConnectionHandler.class);
  static final int BATCH_BYTES = 16 * 1024;

  private final ApiHub hub;
  private final int sendBufferBytes;
  private ChannelHandlerContext ctx;
  private ApiSession session;
  private String remote = "?";
  private boolean flushScheduled;
  /** Notifications written since the last flush; null when there are none. */
  private ByteBuf batch;
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
      log.debug("API client {} connection failed: {}", remote, cause.toString());
    } else {
      log.error("API client {}: unexpected error, closing its connection", remote, cause);
    }
    ctx.close();
  }

  @Override
  public void sendNotification(int messageId, int dataType, byte[] data) {
    int size = ApiMessage.FIXED_SIZE + data.length;
    if (batch != null && batch.writableBytes() < size) {
      flushNow();
    }
    if (batch == null) {
      batch = ctx.alloc().ioBuffer(Math.max(size, BATCH_BYTES));
    }
    batch
        .writeShort(size)
        .writeShort(ApiMessage.TYPE_NOTIFICATION)
        .writeShort(messageId)
        .writeShort(dataType)
        .writeBytes(data);
    if (!flushScheduled) {
      flushScheduled = true;
      ctx.executor().execute(flushTask);
    }
  }

  private void flushNow() {
    flushScheduled = false;
    if (batch != null) {
      ByteBuf whole = batch;
      batch = null;
      ctx.writeAndFlush(whole, ctx.voidPromise());
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (batch != null) {
      batch.release();
      batch = null;
    }
  }

  @Override
  public void closeSlowConsumer(String reason) {
    log.warn("API client {} is a slow consumer, closing its connection: {}", remote, reason);
    ctx.close();
  }

  @Override
  public void pauseReading() {
    ctx.channel().config().setAutoRead(false);
  }

  @Override
  public void resumeReading() {
    ctx.channel().config().setAutoRead(true);
  }

  @Override
  public String describe() {
    return remote;
  }
}
