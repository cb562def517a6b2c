package voidphone.gossip.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/**
 * How {@code subscribe} shows a data item on one line: {@code text=...} when it is printable UTF-8,
 * else {@code hex=...}. Control and format characters (line breaks, terminal escapes, bidi
 * overrides) count as unprintable: an item from the network must not rewrite the operator's screen.
 */
final class DataText {
  private DataText() {}

  static String show(byte[] data) {
    return printable(data).map(text -> "text=" + text).orElseGet(() -> "hex=" + HexFormat.of().formatHex(data));
  }

  static Optional<String> printable(byte[] data) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data))
          .toString();
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
    boolean clean = text.codePoints().allMatch(DataText::isPrintable);
    return clean ? Optional.of(text) : Optional.empty();
  }

  private static boolean isPrintable(int codePoint) {
    return switch (Character.getType(codePoint)) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
          Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
      default -> true;
    };
  }
}
