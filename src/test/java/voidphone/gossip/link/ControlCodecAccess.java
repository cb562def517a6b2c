package voidphone.gossip.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * Hands the package-private {@link ControlCodec} to the fuzz tests in {@code
 * voidphone.gossip.fuzz}, so that main code need not widen its visibility for tests.
 */
public final class ControlCodecAccess {
  /** Longest REFUSE detail the encoder writes; a longer one is cut to this many bytes. */
  public static final int MAX_DETAIL_BYTES = ControlCodec.MAX_DETAIL_BYTES;

  private ControlCodecAccess() {}

  /** Decodes one channel-0 frame body, as {@code LinkHandler} does with each control frame. */
  public static ControlMessage decode(byte[] body) throws LinkProtocolException {
    return ControlCodec.decode(Unpooled.wrappedBuffer(body));
  }

  /** The body {@code LinkHandler} writes for {@code message}. */
  public static byte[] encode(ControlMessage message) {
    ByteBuf out = Unpooled.buffer();
    ControlCodec.encode(message, out);
    return ByteBufUtil.getBytes(out);
  }
}
