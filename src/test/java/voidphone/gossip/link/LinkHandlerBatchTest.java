package voidphone.gossip.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.DialFailure;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.PeerAddress;

/**
 * A link's frames of one loop turn leave as one write (so one TLS record), handed to the channel
 * after the turn's work; a frame that does not fit starts the next write; a close writes what was
 * queued first. On an embedded channel, whose pending tasks stand for the end of the turn.
 */
class LinkHandlerBatchTest {
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final LinkHandler handler;

  LinkHandlerBatchTest() throws Exception {
    LinkManager manager = new LinkManager(TestKeys.get(0), 0, LinkSettings.defaults(), channel.eventLoop(),
        Transport.best(), IdentityPolicy.admitAll(), new LinkListener() {
          @Override public void linkUp(LinkInfo link) {}
          @Override public void linkDown(LinkInfo link, String reason) {}
          @Override public void alreadyLinked(PeerAddress address, LinkInfo link) {}
          @Override public void dialFailed(PeerAddress a, NodeId e, DialFailure f, String reason) {}
          @Override public void message(LinkInfo link, int channel, ByteBuf body) {}
          @Override public void violation(NodeId peer, String what) {}
        });
    handler = new LinkHandler(manager, true, null, null);
    channel.pipeline().addLast(handler);
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  @Test
  void theFramesOfOneTurnLeaveAsOneWriteAfterIt() {
    ByteBuf one = body("one"), two = body("two"), three = body("three");
    assertThat(handler.write(1, one)).isTrue();
    assertThat(handler.write(2, two)).isTrue();
    assertThat(handler.write(1, three)).isTrue();
    assertThat(one.refCnt()).as("each body is copied and released at once").isZero();
    assertThat(channel.outboundMessages()).as("nothing written before the turn ends").isEmpty();
    assertThat(handler.batchedBytes()).isEqualTo(3 * 5 + 3 + 3 + 5);

    channel.runPendingTasks();
    assertThat(handler.batchedBytes()).isZero();
    assertThat(channel.outboundMessages()).hasSize(1);
    assertThat(frames(channel.readOutbound())).containsExactly("1:one", "2:two", "1:three");
  }

  @Test
  void aFrameThatDoesNotFitStartsTheNextWriteAndALargeFrameGoesWhole() {
    String large = "x".repeat(LinkHandler.BATCH_BYTES + 100);
    handler.write(1, body("small"));
    handler.write(1, body(large));
    handler.write(1, body("after"));
    channel.runPendingTasks();
    List<String> written = new ArrayList<>();
    for (Object m; (m = channel.readOutbound()) != null; ) written.add(String.join(",", frames((ByteBuf) m)));
    assertThat(written).containsExactly("1:small", "1:" + large, "1:after");
  }

  @Test
  void aCloseWritesWhatWasQueuedBeforeIt() {
    handler.write(1, body("last words"));
    channel.close();
    assertThat(frames(channel.readOutbound())).containsExactly("1:last words");
  }

  private static ByteBuf body(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
  }

  /** The frames in one written buffer, as "channel:text". */
  private static List<String> frames(ByteBuf written) {
    List<String> frames = new ArrayList<>();
    try {
      while (written.isReadable()) {
        int length = written.readInt();
        int ch = written.readUnsignedByte();
        frames.add(ch + ":" + written.readCharSequence(length - 1, StandardCharsets.UTF_8));
      }
    } finally {
      written.release();
    }
    return frames;
  }
}
