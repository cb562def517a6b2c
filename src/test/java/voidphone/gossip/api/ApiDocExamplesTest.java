package voidphone.gossip.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps {@code docs/API.md} and the codec from drifting apart: module authors in other languages
 * write their code from that file's hex examples, so each example is decoded by the real decoder
 * and must give the fields its label states, and encoding those fields must give the same bytes.
 *
 * <p>The file's convention (stated in its section 1): a fenced block tagged {@code hex}, preceded by
 * a line {@code Example: `MESSAGE field=value ...`} or {@code Malformed: `reason`}.
 */
class ApiDocExamplesTest {
  private static final Path DOC = Path.of("docs", "API.md");
  private static final Pattern LABEL = Pattern.compile("^(Example|Malformed): `([^`]+)`\\s*$");
  private static final HexFormat HEX = HexFormat.of();

  /** One labelled hex block of the doc. */
  record DocExample(String kind, String label, byte[] bytes) {
    @Override
    public String toString() {
      return kind + ": " + label;
    }

    String message() {
      return label.split(" ")[0];
    }

    Map<String, String> fields() {
      Map<String, String> fields = new LinkedHashMap<>();
      String[] words = label.split(" ");
      for (int i = 1; i < words.length; i++) {
        String[] kv = words[i].split("=", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException("field without '=' in doc example label: " + label);
        }
        fields.put(kv[0], kv[1]);
      }
      return fields;
    }

    /** The message the label describes, built from its fields. */
    ApiMessage stated() {
      Map<String, String> f = fields();
      return switch (message()) {
        case "ANNOUNCE" ->
            new ApiMessage.Announce(number(f, "ttl"), number(f, "data_type"), HEX.parseHex(f.get("data")));
        case "NOTIFY" -> new ApiMessage.Notify(number(f, "data_type"));
        case "NOTIFICATION" ->
            new ApiMessage.Notification(
                number(f, "message_id"), number(f, "data_type"), HEX.parseHex(f.get("data")));
        case "VALIDATION" -> new ApiMessage.Validation(number(f, "message_id"), number(f, "valid") == 1);
        default -> throw new IllegalArgumentException("unknown message in doc example label: " + label);
      };
    }

    /** Whether the example sets reserved bits, which the codec reads but never writes. */
    boolean setsReservedBits() {
      String reserved = fields().get("reserved");
      return reserved != null && parse(reserved) != 0;
    }
  }

  private static int number(Map<String, String> fields, String key) {
    String value = fields.get(key);
    if (value == null) {
      throw new IllegalArgumentException("doc example label lacks " + key + ": " + fields);
    }
    return parse(value);
  }

  private static int parse(String value) {
    return value.startsWith("0x") ? Integer.parseInt(value.substring(2), 16) : Integer.parseInt(value);
  }

  static List<DocExample> examples() {
    List<String> lines;
    try {
      lines = Files.readAllLines(DOC);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<DocExample> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).strip().equals("```hex")) {
        continue;
      }
      int before = i - 1;
      while (before >= 0 && lines.get(before).isBlank()) {
        before--;
      }
      Matcher label = before >= 0 ? LABEL.matcher(lines.get(before).strip()) : null;
      if (label == null || !label.matches()) {
        throw new IllegalStateException(DOC + " line " + (i + 1) + ": hex block without an Example:/Malformed: label");
      }
      StringBuilder hex = new StringBuilder();
      int j = i + 1;
      for (; j < lines.size() && !lines.get(j).strip().equals("```"); j++) {
        hex.append(lines.get(j).replaceAll("\\s", ""));
      }
      out.add(new DocExample(label.group(1), label.group(2), HEX.parseHex(hex)));
      i = j;
    }
    return out;
  }

  static Stream<DocExample> messageExamples() {
    return examples().stream().filter(e -> e.kind().equals("Example"));
  }

  static Stream<DocExample> malformedExamples() {
    return examples().stream().filter(e -> e.kind().equals("Malformed"));
  }

  /** What a module reading the stream gets from these bytes: NOTIFICATION is decoded client-side. */
  private static ApiMessage decodeAsItsReceiverDoes(byte[] bytes) throws MalformedMessageException {
    ByteBuffer frame = ByteBuffer.wrap(bytes);
    int size = Short.toUnsignedInt(frame.getShort());
    int type = Short.toUnsignedInt(frame.getShort());
    assertThat(size).as("size field of %s", HEX.formatHex(bytes)).isEqualTo(bytes.length);
    if (type == ApiMessage.TYPE_NOTIFICATION) {
      return ApiWire.decodeNotification(size, type, frame);
    }
    // the server's path: the same frame decoder every API connection has
    EmbeddedChannel channel = new EmbeddedChannel(new ApiFrameDecoder());
    channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    ApiMessage decoded = channel.readInbound();
    assertThat(channel.isOpen()).as("connection open after a well-formed example").isTrue();
    Object more = channel.readInbound();
    assertThat(more).as("one message per example").isNull();
    return decoded;
  }

  @Test
  void theDocHasAnExampleOfEachOfTheFourMessages() {
    assertThat(messageExamples().map(DocExample::message).distinct())
        .containsExactlyInAnyOrder("ANNOUNCE", "NOTIFY", "NOTIFICATION", "VALIDATION");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messageExamples")
  void eachExampleDecodesToTheFieldsItsLabelStates(DocExample example) throws Exception {
    assertThat(decodeAsItsReceiverDoes(example.bytes())).isEqualTo(example.stated());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messageExamples")
  void eachExampleIsWhatTheCodecEncodesForItsFields(DocExample example) {
    assumeThat(example.setsReservedBits()).as("the codec writes reserved bits as zero").isFalse();

    assertThat(HEX.formatHex(ApiWire.encode(example.stated()))).isEqualTo(HEX.formatHex(example.bytes()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedExamples")
  void eachMalformedExampleClosesTheConnectionAndYieldsNoMessage(DocExample example) {
    EmbeddedChannel channel = new EmbeddedChannel(new ApiFrameDecoder());

    channel.writeInbound(Unpooled.wrappedBuffer(example.bytes()));

    Object decoded = channel.readInbound();
    assertThat(decoded).isNull();
    assertThat(channel.isOpen()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedExamples")
  void eachMalformedExampleIsRefusedForTheReasonTheDocGives(DocExample example) {
    ByteBuffer frame = ByteBuffer.wrap(example.bytes());
    int size = Short.toUnsignedInt(frame.getShort());
    int type = Short.toUnsignedInt(frame.getShort());
    // a size below the header has no body: the decoder judges it from the size alone
    ByteBuffer body = size < ApiMessage.HEADER_SIZE ? ByteBuffer.allocate(0) : frame.slice();

    assertThatThrownBy(() -> ApiWire.decode(size, type, body))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage(example.label());
  }
}
