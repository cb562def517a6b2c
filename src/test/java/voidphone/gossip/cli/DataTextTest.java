package voidphone.gossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataTextTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      plain ascii      | 6869                 | text=hi
      utf-8 umlaut     | c3a4                 | text=ä
      space inside     | 6120 62              | text=a b
      newline          | 610a62               | hex=610a62
      tab              | 6109                 | hex=6109
      terminal escape  | 1b5b324a             | hex=1b5b324a
      bidi override    | e280ae61             | hex=e280ae61
      invalid utf-8    | c328                 | hex=c328
      nul byte         | 00                   | hex=00
      """)
  void showsPrintableUtf8AsTextAndEverythingElseAsHex(String what, String hex, String shown) {
    byte[] data = java.util.HexFormat.of().parseHex(hex.replace(" ", ""));

    assertThat(DataText.show(data)).as(what).isEqualTo(shown);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"emoji, \uD83D\uDE00", "cjk, \u6F22\u5B57"})
  void nonLatinTextStaysText(String what, String text) {
    assertThat(DataText.show(text.getBytes(StandardCharsets.UTF_8))).as(what).isEqualTo("text=" + text);
  }
}
