package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.NodeId;

class ItemIdTest {
  private static final NodeId ORIGIN = new NodeId(1, 2, 3, 4);
  private static final byte[] DATA = {10, 20, 30};

  @Test
  void idIsTheFirst8BytesOfSha256OverOriginNonceTypeAndData() throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    ByteBuffer input = ByteBuffer.allocate(32 + 8 + 2 + DATA.length);
    ORIGIN.write(input);
    input.putLong(77).putShort((short) 0xBEEF).put(DATA);
    ByteBuffer digest = ByteBuffer.wrap(sha.digest(input.array()));

    assertThat(ItemId.of(ORIGIN, 77, 0xBEEF, DATA)).isEqualTo(new ItemId(digest.getLong()));
  }

  @Test
  void everyInputChangesTheId() {
    ItemId base = ItemId.of(ORIGIN, 77, 5, DATA);

    assertThat(ItemId.of(new NodeId(1, 2, 3, 5), 77, 5, DATA)).isNotEqualTo(base);
    assertThat(ItemId.of(ORIGIN, 78, 5, DATA)).isNotEqualTo(base);
    assertThat(ItemId.of(ORIGIN, 77, 6, DATA)).isNotEqualTo(base);
    assertThat(ItemId.of(ORIGIN, 77, 5, new byte[] {10, 20, 31})).isNotEqualTo(base);
    assertThat(ItemId.of(ORIGIN, 77, 5, DATA.clone())).isEqualTo(base);
  }

  @Test
  void hexShowsAll64Bits() {
    assertThat(new ItemId(0x0123456789abcdefL).hex()).isEqualTo("0123456789abcdef");
  }
}
