package voidphone.gossip.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import voidphone.gossip.api.ApiFrameDecoderAccess;
import voidphone.gossip.api.ApiMessage;
import voidphone.gossip.api.ApiWire;
import voidphone.gossip.core.broadcast.BroadcastCodec;
import voidphone.gossip.core.broadcast.BroadcastMessage;
import voidphone.gossip.core.broadcast.MalformedBroadcastException;

/**
 * A length field is a claim: the decoders that allocate by one (the API's frame decoder, the
 * broadcast GOSSIP's data) must check it against the bytes actually there before allocating, so
 * that a few bytes claiming the most the limit allows cost a few bytes, not the limit. Measured
 * with the JVM's count of bytes this thread allocated. (Claims beyond the limits are refused
 * outright: by the u16 size of API frames, and by the peer links' length check, {@code
 * LinkManagerTest.oversizedFrameDisconnectsThePeerThatSentIt}; membership counts are capped at 32
 * entries before anything is read.)
 */
class ClaimedLengthAllocationTest {
  /** Far below the 64 KiB claimed, far above what a refusal itself costs (an exception, a message). */
  private static final long SMALL = 16 * 1024;

  /** Bytes allocated on this thread by the second of two runs of {@code work} (the first loads and links classes). */
  private static long allocatedBy(ThrowingRunnable work) throws Exception {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    work.run();
    long before = threads.getCurrentThreadAllocatedBytes();
    work.run();
    return threads.getCurrentThreadAllocatedBytes() - before;
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void anApiFrameClaimingTheLargestSizeIsHeldOnlyAsFarAsItArrived() throws Exception {
    byte[] claim = Arrays.copyOf(ApiWire.encode(new ApiMessage.Announce(1, 2, new byte[ApiMessage.MAX_DATA])), 64);

    long allocated = allocatedBy(() -> {
      EmbeddedChannel channel = new EmbeddedChannel(ApiFrameDecoderAccess.newDecoder());
      channel.writeInbound(Unpooled.wrappedBuffer(claim));
      Object decoded = channel.readInbound();
      assertThat(decoded).isNull(); // waiting for the rest
      channel.finishAndReleaseAll();
    });

    assertThat(allocated).isLessThan(SMALL);
  }

  @Test
  void aGossipClaimingTheLargestDataIsRefusedWithoutAllocatingIt() throws Exception {
    byte[] data = new byte[BroadcastMessage.MAX_DATA];
    byte[] frame = BroadcastCodec.encode(SeedCorpus.gossip(1, 1, 2, data));
    byte[] claim = Arrays.copyOf(frame, frame.length - data.length + 1); // the header and one byte of data

    long allocated = allocatedBy(() ->
        assertThatThrownBy(() -> BroadcastCodec.decode(ByteBuffer.wrap(claim)))
            .isInstanceOf(MalformedBroadcastException.class));

    assertThat(allocated).isLessThan(SMALL);
  }
}
