package voidphone.gossip.api;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts the API byte stream into frames and decodes each into an {@link ApiMessage}.
 *
 * <p>The u16 size is checked before anything is allocated, and a frame is never larger than 65,535
 * bytes, so one connection buffers at most one frame plus one read. A malformed frame costs only
 * its connection: one WARN line, the connection is closed, and nothing after it is decoded; every
 * message before it has already gone up the pipeline. Messages that arrive complete just before the
 * client closes are decoded too ({@link ByteToMessageDecoder} decodes what is left before it
 * passes the close on).
 */
final class ApiFrameDecoder extends ByteToMessageDecoder {
  private static final Logger log = LoggerFactory.getLogger(ApiFrameDecoder.class);
  private static final int SIZE_FIELD = 2;

  private boolean failed;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < SIZE_FIELD) {
      return;
    }
    int start = in.readerIndex();
    int size = in.getUnsignedShort(start);
    if (size < ApiMessage.HEADER_SIZE) {
      fail(ctx, in, "size " + size + " is below the 4-byte header");
      return;
    }
    if (in.readableBytes() < size) {
      return;
    }
    int type = in.getUnsignedShort(start + SIZE_FIELD);
    int bodySize = size - ApiMessage.HEADER_SIZE;
    try {
      out.add(ApiWire.decode(size, type, in.nioBuffer(start + ApiMessage.HEADER_SIZE, bodySize)));
      in.skipBytes(size);
    } catch (MalformedMessageException e) {
      fail(ctx, in, e.getMessage());
    }
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    decode(ctx, in, out);
    if (in.isReadable()) {
      log.debug(
          "API client {} closed in the middle of a message; {} bytes dropped",
          Addresses.format(ctx.channel().remoteAddress()),
          in.readableBytes());
      in.skipBytes(in.readableBytes());
    }
  }

  private void fail(ChannelHandlerContext ctx, ByteBuf in, String reason) {
    failed = true;
    in.skipBytes(in.readableBytes());
    log.warn(
        "API client {} sent a malformed message, closing its connection: {}",
        Addresses.format(ctx.channel().remoteAddress()),
        reason);
    ctx.close();
  }
}
