package voidphone.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimCommandTest {

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SimCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void printsWhatItMeasured() {
    String[] result = run("--nodes", "100", "--degree", "5", "--seed", "3", "--duration", "5000",
        "--heal-limit-ms", "10000");

    assertThat(result[0]).isEqualTo("0");
    assertThat(result[1])
        .contains("sim: 100 nodes, degree 5")
        .contains("join of node 100 (last)")
        .contains("crash of 50 nodes at once")
        .contains("wall time");
  }

  @Test
  void badLatencyRangeIsAOneLineUsageError() {
    String[] result = run("--latency-ms", "fast");

    assertThat(result[0]).isEqualTo("2");
    assertThat(result[2]).contains("--latency-ms takes MIN-MAX").doesNotContain("Exception");
  }

  @Test
  void crashFractionOfOneIsRefused() {
    String[] result = run("--crash", "1");

    assertThat(result[0]).isEqualTo("2");
    assertThat(result[2]).contains("crash fraction");
  }
}
