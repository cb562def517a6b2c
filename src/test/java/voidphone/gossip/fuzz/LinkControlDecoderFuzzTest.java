package voidphone.gossip.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import voidphone.gossip.core.membership.MembershipCodec;
import voidphone.gossip.core.membership.MembershipMessage;
import voidphone.gossip.link.ControlCodecAccess;
import voidphone.gossip.link.ControlMessage;
import voidphone.gossip.link.LinkProtocolException;

/**
 * The link's control decoder (frame channel 0: HELLO, ACCEPT, PING, PONG, REFUSE; docs/protocol/link.md)
 * under arbitrary frame bodies. It is the first thing a stranger's bytes reach after TLS.
 */
class LinkControlDecoderFuzzTest {

  /**
   * Any body decodes to a control message or is a {@link LinkProtocolException}, nothing else; a
   * decoded message re-encodes to one that decodes to it again; and a HELLO's listen address is
   * one the membership layer can carry, since the node passes it on (a bootstrap contact ends up
   * in SHUFFLEs and in the peer cache).
   */
  @FuzzTest(maxExecutions = FuzzBudget.EXECUTIONS, maxDuration = FuzzBudget.DURATION)
  void anyBodyDecodesOrIsAProtocolViolation(byte[] body) throws LinkProtocolException {
    ControlMessage message;
    try {
      message = ControlCodecAccess.decode(body);
    } catch (LinkProtocolException e) {
      return;
    }
    ControlMessage again = ControlCodecAccess.decode(ControlCodecAccess.encode(message));
    if (message instanceof ControlMessage.Refuse refuse
        && refuse.detail().getBytes(StandardCharsets.UTF_8).length > ControlCodecAccess.MAX_DETAIL_BYTES) {
      // A REFUSE's detail is text for the peer's log: bytes that are not UTF-8 read as U+FFFD
      // (three bytes each), and the encoder cuts a detail to 255 bytes. Only the reason survives.
      assertThat(again).isInstanceOf(ControlMessage.Refuse.class);
      assertThat(((ControlMessage.Refuse) again).reason()).isEqualTo(refuse.reason());
    } else {
      assertThat(again).isEqualTo(message);
    }
    if (message instanceof ControlMessage.Hello hello) {
      assertThatCode(() -> MembershipCodec.encode(new MembershipMessage.Join(hello.listenAddress())))
          .as("membership can carry %s", hello.listenAddress())
          .doesNotThrowAnyException();
    }
  }
}
