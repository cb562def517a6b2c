package voidphone.gossip.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import voidphone.gossip.core.broadcast.BroadcastCodec;
import voidphone.gossip.core.broadcast.BroadcastMessage;
import voidphone.gossip.core.broadcast.MalformedBroadcastException;

/** The broadcast decoder (frame channel 2, docs/protocol/broadcast.md) under arbitrary frame bodies. */
class BroadcastDecoderFuzzTest {

  /**
   * Any body decodes or is a {@link MalformedBroadcastException}, nothing else; and a body that
   * decodes is exactly the encoding of its message: the layout has no reserved bits and no second
   * form of any message, so two peers cannot read one body differently.
   */
  @FuzzTest(maxExecutions = FuzzBudget.EXECUTIONS, maxDuration = FuzzBudget.DURATION)
  void anyBodyDecodesCanonicallyOrIsMalformed(byte[] body) {
    BroadcastMessage message;
    try {
      message = BroadcastCodec.decode(ByteBuffer.wrap(body));
    } catch (MalformedBroadcastException e) {
      return;
    }
    assertThat(BroadcastCodec.encode(message)).as("encoding of %s", message).isEqualTo(body);
  }
}
