package voidphone.gossip.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import voidphone.gossip.core.membership.MembershipCodec;
import voidphone.gossip.core.membership.MembershipDecodeException;
import voidphone.gossip.core.membership.MembershipMessage;

/** The membership decoder (frame channel 1, docs/protocol/membership.md) under arbitrary frame bodies. */
class MembershipDecoderFuzzTest {

  /**
   * Any body decodes or is a {@link MembershipDecodeException}, nothing else; and decoding is
   * canonical, as the codec promises: a body that decodes is exactly the encoding of its message.
   */
  @FuzzTest(maxExecutions = FuzzBudget.EXECUTIONS, maxDuration = FuzzBudget.DURATION)
  void anyBodyDecodesCanonicallyOrIsMalformed(byte[] body) {
    MembershipMessage message;
    try {
      message = MembershipCodec.decode(ByteBuffer.wrap(body));
    } catch (MembershipDecodeException e) {
      return;
    }
    assertThat(MembershipCodec.encode(message)).as("encoding of %s", message).isEqualTo(body);
  }
}
