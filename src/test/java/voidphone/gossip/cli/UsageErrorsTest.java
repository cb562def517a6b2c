package voidphone.gossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Command lines that are wrong before anything is connected or written: exit status 2 and a message
 * that says which argument is wrong. Run in-process; the process tests cover the real streams.
 */
class UsageErrorsTest {
  /** Nothing listens here in these tests: every case must fail before connecting. */
  private static final String API = "127.0.0.1:9";

  private record Outcome(int status, String out, String err) {}

  private static Outcome execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Outcome(status, out.toString(), err.toString());
  }

  @Test
  void noCommandIsAUsageErrorListingTheCommands() {
    Outcome outcome = execute();

    assertThat(outcome.status()).isEqualTo(2);
    assertThat(outcome.err()).contains("Missing command: run, keygen, identity, announce, subscribe, testnet or sim");
  }

  @ParameterizedTest(name = "gossip {0} --help")
  @ValueSource(strings = {"run", "keygen", "identity", "announce", "subscribe", "testnet", "sim"})
  void everyCommandHasHelp(String command) {
    Outcome outcome = execute(command, "--help");

    assertThat(outcome.status()).isZero();
    assertThat(outcome.out()).contains("Usage: gossip " + command);
  }

  @Test
  void topLevelHelpListsTheCommandsAndExitCodes() {
    Outcome outcome = execute("--help");

    assertThat(outcome.status()).isZero();
    assertThat(outcome.out()).contains("run", "keygen", "identity", "announce", "subscribe", "Exit status:");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      --type 65536                | --type 65536 is outside 0..65535
      --type -1                   | --type -1 is outside 0..65535
      --type 1 --ttl 256          | --ttl 256 is outside 0..255
      --type 1 --ttl -1           | --ttl -1 is outside 0..255
      --type abc                  | Invalid value for option '--type'
      """)
  void announceRejectsOutOfRangeNumbers(String options, String message) {
    String[] args = ("announce --api " + API + " " + options + " data").split(" ");

    Outcome outcome = execute(args);

    assertThat(outcome.status()).isEqualTo(2);
    assertThat(outcome.err()).contains(message);
  }

  @Test
  void announceRejectsEmptyData() {
    Outcome outcome = execute("announce", "--api", API, "--type", "1", "");

    assertThat(outcome.status()).isEqualTo(2);
    assertThat(outcome.err()).contains("DATA has 0 bytes; an item has 1..65527");
  }

  @Test
  void announceRejectsDataLargerThanAFrameCanCarry() {
    Outcome outcome = execute("announce", "--api", API, "--type", "1", "x".repeat(65528));

    assertThat(outcome.status()).isEqualTo(2);
    assertThat(outcome.err()).contains("DATA has 65528 bytes; an item has 1..65527");
  }

  @Test
  void announceRejectsMalformedHex() {
    Outcome outcome = execute("announce", "--api", API, "--type", "1", "--hex", "abc");

    assertThat(outcome.status()).isEqualTo(2);
    assertThat(outcome.err()).contains("DATA is not hex");
  }

  @Test
  void announceRejectsAMalformedApiAddressSayingWhy() {
    Outcome outcome = execute("announce", "--api", "localhost", "--type", "1", "x");

    assertThat(outcome.status()).isEqualTo(2);
    assertThat(outcome.err()).contains("'--api'", "\"localhost\" is not host:port (the port is missing)");
  }

  @Test
  void announceRejectsPortZeroBeforeConnecting() {
    Outcome outcome = execute("announce", "--api", "127.0.0.1:0", "--type", "1", "x");

    assertThat(outcome.status()).isEqualTo(2);
    assertThat(outcome.err()).isEqualTo("cannot connect to gossip API at 127.0.0.1:0: port 0 is not a real port\n");
  }

  @Test
  void subscribeRejectsACountBelowOne() {
    Outcome outcome = execute("subscribe", "--api", API, "--type", "1", "--count", "0");

    assertThat(outcome.status()).isEqualTo(2);
    assertThat(outcome.err()).contains("--count 0 must be at least 1");
  }

  @Test
  void subscribeRejectsAnOutOfRangeType() {
    Outcome outcome = execute("subscribe", "--api", API, "--type", "1", "--type", "70000");

    assertThat(outcome.status()).isEqualTo(2);
    assertThat(outcome.err()).contains("--type 70000 is outside 0..65535");
  }

  @Test
  void subscribeNeedsAType() {
    Outcome outcome = execute("subscribe", "--api", API);

    assertThat(outcome.status()).isEqualTo(2);
    assertThat(outcome.err()).contains("Missing required option: '--type=T'");
  }

  @Test
  void keygenRejectsADifficultyBeyondTheConfigRange() {
    Outcome outcome = execute("keygen", "--pow-difficulty", "33", "never-written.pem");

    assertThat(outcome.status()).isEqualTo(2);
    assertThat(outcome.err()).contains("--pow-difficulty 33 is outside 0..32");
  }
}
