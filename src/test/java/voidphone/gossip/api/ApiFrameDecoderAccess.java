package voidphone.gossip.api;

import io.netty.channel.ChannelHandler;

/**
 * Hands the package-private {@link ApiFrameDecoder} to the fuzz tests in {@code
 * voidphone.gossip.fuzz}, so that main code need not widen its visibility for tests.
 */
public final class ApiFrameDecoderAccess {
  private ApiFrameDecoderAccess() {}

  /** A fresh decoder, as {@code ApiServer} puts one in each connection's pipeline. */
  public static ChannelHandler newDecoder() {
    return new ApiFrameDecoder();
  }
}
