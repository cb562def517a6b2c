package voidphone.gossip.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import voidphone.gossip.api.ApiFrameDecoderAccess;
import voidphone.gossip.api.ApiMessage;
import voidphone.gossip.api.ApiWire;
import voidphone.gossip.api.MalformedMessageException;

/**
 * The local API's decoders under arbitrary bytes (docs/API.md, "Bounds"; docs/SECURITY.md,
 * "Fuzzing"). A module's byte stream goes through the server's frame decoder and {@link
 * ApiWire#decode}; a server's frame through the clients' {@link ApiWire#decodeNotification}.
 */
class ApiDecoderFuzzTest {

  /**
   * Whatever a module sends, the server's decoder passes messages on and, at the first malformed
   * frame, closes the connection; no exception leaves the pipeline (the channel rethrows any that
   * reach its end). Every message re-encodes to a frame of the size it arrived in that decodes to
   * it again, and how the bytes are split into reads changes nothing.
   */
  @FuzzTest(maxExecutions = FuzzBudget.EXECUTIONS, maxDuration = FuzzBudget.DURATION)
  void moduleStreamDecodesOrClosesTheConnection(byte[] stream) {
    Outcome whole = feed(stream, false);
    Outcome inPieces = feed(stream, true);
    assertThat(inPieces).as("the same bytes in many small reads").isEqualTo(whole);

    int consumed = 0;
    for (ApiMessage message : whole.messages()) {
      assertThat(message).isNotInstanceOf(ApiMessage.Notification.class); // only gossip sends those
      byte[] again = ApiWire.encode(message);
      assertThat(feed(again, false)).isEqualTo(new Outcome(List.of(message), true));
      assertThat(sizeAt(stream, consumed)).as("size of the frame it came from").isEqualTo(again.length);
      consumed += again.length;
    }
    int rest = stream.length - consumed;
    if (whole.open()) {
      // every complete frame was decoded, so what is left is the start of an incomplete one
      assertThat(rest < 2 || (sizeAt(stream, consumed) >= ApiMessage.HEADER_SIZE && rest < sizeAt(stream, consumed)))
          .as("open with %d bytes left after %d decoded", rest, consumed).isTrue();
    } else {
      // closed on the frame after the last message, which was judged: complete, or sized below its header
      assertThat(rest >= 2 && (sizeAt(stream, consumed) < ApiMessage.HEADER_SIZE || rest >= sizeAt(stream, consumed)))
          .as("closed with %d bytes left after %d decoded", rest, consumed).isTrue();
    }
  }

  /**
   * Whatever frame a server sends, the clients' decoder returns a NOTIFICATION or throws {@link
   * MalformedMessageException}, nothing else. A NOTIFICATION has no reserved field, so a decoded
   * one re-encodes to exactly the frame it came from.
   */
  @FuzzTest(maxExecutions = FuzzBudget.EXECUTIONS, maxDuration = FuzzBudget.DURATION)
  void serverFrameDecodesToANotificationOrIsMalformed(byte[] input) {
    // The test modules (node.TestModule) read the u16 size, refuse one below the header and then read
    // exactly the body it announces, so the decoder only ever sees a size that matches its body.
    // The input is taken as one such frame: its length is the size, whatever its first two bytes
    // say (they are overwritten), so that no input is spent on a frame no client would decode.
    if (input.length < ApiMessage.HEADER_SIZE || input.length > ApiMessage.MAX_SIZE) return;
    byte[] frame = input.clone();
    ByteBuffer.wrap(frame).putShort(0, (short) frame.length);
    int type = Short.toUnsignedInt(ByteBuffer.wrap(frame).getShort(2));
    ByteBuffer body = ByteBuffer.wrap(frame, ApiMessage.HEADER_SIZE, frame.length - ApiMessage.HEADER_SIZE).slice();

    ApiMessage.Notification notification;
    try {
      notification = ApiWire.decodeNotification(frame.length, type, body);
    } catch (MalformedMessageException e) {
      return;
    }
    assertThat(ApiWire.encode(notification)).isEqualTo(frame);
  }

  /** What a connection made of a byte stream: the messages passed on, and whether it is still open. */
  private record Outcome(List<ApiMessage> messages, boolean open) {}

  /** Feeds {@code bytes} to a fresh decoder, in one read or in reads of 1, 2, ... 17 bytes. */
  private static Outcome feed(byte[] bytes, boolean inPieces) {
    EmbeddedChannel channel = new EmbeddedChannel(ApiFrameDecoderAccess.newDecoder());
    int at = 0;
    for (int piece = 1; at < bytes.length && channel.isOpen(); piece = piece % 17 + 1) {
      int length = inPieces ? Math.min(piece, bytes.length - at) : bytes.length;
      channel.writeInbound(Unpooled.wrappedBuffer(bytes, at, length));
      at += length;
    }
    boolean open = channel.isOpen();
    channel.finish(); // the client closes: what is left is dropped, nothing more is decoded
    List<ApiMessage> messages = new ArrayList<>();
    for (Object m; (m = channel.readInbound()) != null; ) {
      messages.add((ApiMessage) m);
    }
    return new Outcome(messages, open);
  }

  /** The u16 size field of a frame starting at {@code offset}. */
  private static int sizeAt(byte[] stream, int offset) {
    return Short.toUnsignedInt(ByteBuffer.wrap(stream).getShort(offset));
  }
}
