package voidphone.gossip.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.PeerAddress;

/**
 * The HELLO's listen address: the node hands it on to membership (a bootstrap contact goes into
 * the views, SHUFFLEs and the peer cache), so the link accepts only hosts membership can carry.
 */
class ControlCodecTest {
  private static final String HOST = "127.0.0.1";

  /** A HELLO from 127.0.0.1:7001 with the host's first byte replaced by {@code hostByte}. */
  private static byte[] helloWithHostByte(int hostByte) {
    var buf = Unpooled.buffer();
    ControlCodec.encode(new ControlMessage.Hello(2, 2, 0, new PeerAddress(HOST, 7001)), buf);
    byte[] body = ByteBufUtil.getBytes(buf);
    body[body.length - 2 - HOST.length()] = (byte) hostByte;
    return body;
  }

  private static ControlMessage decode(byte[] body) throws LinkProtocolException {
    return ControlCodec.decode(Unpooled.wrappedBuffer(body));
  }

  @Test
  void helloWhoseHostIsNotUtf8IsAProtocolViolation() {
    assertThatThrownBy(() -> decode(helloWithHostByte(0xFF)))
        .isInstanceOf(LinkProtocolException.class)
        .hasMessageContaining("not UTF-8");
  }

  @Test
  void helloWhoseHostHasAControlCharacterIsAProtocolViolation() {
    assertThatThrownBy(() -> decode(helloWithHostByte('\n')))
        .isInstanceOf(LinkProtocolException.class)
        .hasMessageContaining("U+000A");
  }

  @Test
  void helloWithANonAsciiHostNameIsAccepted() throws LinkProtocolException {
    var hello = new ControlMessage.Hello(2, 2, 0, new PeerAddress("peer-ü.example.org", 7001));
    var buf = Unpooled.buffer();
    ControlCodec.encode(hello, buf);

    assertThat(ControlCodec.decode(buf)).isEqualTo(hello);
  }

  @Test
  void refuseDetailWithControlCharactersIsReadWithThemReplaced() throws LinkProtocolException {
    byte[] detail = "no\r\n12:00 WARN forged\u001b[2J".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    var buf = Unpooled.buffer().writeByte(ControlCodec.KIND_REFUSE).writeByte(6).writeByte(detail.length).writeBytes(detail);

    assertThat(ControlCodec.decode(buf)).isEqualTo(
        new ControlMessage.Refuse(ControlMessage.Reason.BANNED, "no??12:00 WARN forged?[2J"));
  }

  @Test
  void refuseDetailThatIsNotUtf8IsReadWithReplacementCharacters() throws LinkProtocolException {
    var buf = Unpooled.buffer().writeByte(ControlCodec.KIND_REFUSE).writeByte(6).writeByte(2).writeByte(0x41).writeByte(0xFF);

    assertThat(ControlCodec.decode(buf)).isEqualTo(new ControlMessage.Refuse(ControlMessage.Reason.BANNED, "A\uFFFD"));
  }
}
