package voidphone.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  void printsItsSettingsOnStderrBeforeRunning() {
    String[] result = run("--nodes", "30", "--degree", "4", "--seed", "3", "--duration", "1000",
        "--heal-limit-ms", "1000", "--progress-ms", "0");

    assertThat(result[0]).isEqualTo("0");
    assertThat(result[2].lines().findFirst()).hasValue(
        "sim: membership experiment, 30 nodes, degree 4, seed 3; options: --nodes 30 --degree 4 --seed 3 "
            + "--duration 1000 --heal-limit-ms 1000 --progress-ms 0");
  }

  @Test
  void aRunLongerThanTheProgressIntervalPrintsProgressLinesOnStderr() {
    // 1000 nodes take well over a second on any machine; a line is due every 20 ms of it
    String[] result = run("--nodes", "1000", "--degree", "5", "--seed", "3", "--duration", "5000",
        "--heal-limit-ms", "10000", "--progress-ms", "20");

    assertThat(result[0]).isEqualTo("0");
    assertThat(result[2]).containsPattern("(?m)^sim: running for \\d+ s of wall time, virtual time \\d+\\.\\d s, heap \\d+ MiB$");
  }

  @Test
  void partitionExperimentPrintsTheMergeAndTheQuietCost() {
    String[] result = run("--nodes", "40", "--degree", "4", "--seed", "3", "--duration", "5000",
        "--steady-ms", "30000", "--partition-ms", "20000", "--heal-limit-ms", "30000");

    assertThat(result[0]).isEqualTo("0");
    assertThat(result[1])
        .contains("40 nodes, degree 4, cut into halves for 20 s")
        .contains("membership messages")
        .contains("one component")
        .contains("item announced at the heal reached 100.00 %");
  }

  @Test
  void withoutMergeProbesTheQuietOverlayCountsNone() {
    String[] result = run("--nodes", "40", "--degree", "4", "--seed", "3", "--duration", "5000",
        "--steady-ms", "30000", "--partition-ms", "20000", "--heal-limit-ms", "5000",
        "--no-merge-probes");

    assertThat(result[0]).isEqualTo("0");
    assertThat(result[1]).contains(", 0.000 merge probes,");
  }

  @Test
  void attackExperimentPrintsTheHonestFiguresBesideTheRunWithoutAttackers() {
    String[] result = run("--nodes", "100", "--degree", "8", "--seed", "3", "--duration", "5000",
        "--attack", "mute", "--sybils", "25", "--items", "5", "--item-interval-ms", "200", "--drain-ms", "2000");

    assertThat(result[0]).isEqualTo("0");
    assertThat(result[1])
        .contains("attack mute (takes everything, forwards nothing, answers no GRAFT): 100 honest nodes, 25 sybils")
        .contains("attacked   no attackers")
        .contains("reliability, worst item")
        .contains("penalties to honest peers               0              0");
  }

  @Test
  void anUnknownAttackIsAOneLineUsageErrorNamingTheKnownOnes() {
    String[] result = run("--attack", "nuke");

    assertThat(result[0]).isEqualTo("2");
    assertThat(result[2]).contains("--attack takes one of mute, degrade").contains("got 'nuke'");
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

  @Test
  void broadcastExperimentPrintsFiguresNextToTheBounds() {
    String[] result = run("--items", "4", "--nodes", "100", "--degree", "5", "--overlay", "random",
        "--duration", "2000", "--drain-ms", "3000");

    assertThat(result[0]).isEqualTo("0");
    assertThat(result[1])
        .contains("sim broadcast: 100 nodes, degree 5")
        .contains("plumtree: reliability 100.000% (worst item 100.000%); once formed: RMR")
        .contains("flood:    reliability 100.000%")
        .contains("bounds:   n-1 = 99 payload transmissions per item (RMR 0), log_4(100) = 3.3 hops")
        .contains("wall time");
  }

  @Test
  void shortcutHopsTurnsOnTheTreeOptimisationWhoseGraftsTheRunCounts() {
    String[] common = {"--items", "10", "--nodes", "100", "--degree", "5", "--overlay", "random",
        "--duration", "2000", "--drain-ms", "3000", "--no-compare-flood"};
    String[] off = run(common);
    String[] on = run(java.util.stream.Stream.concat(java.util.Arrays.stream(common),
        java.util.stream.Stream.of("--shortcut-hops", "1")).toArray(String[]::new));

    assertThat(on[0]).isEqualTo("0");
    assertThat(graftsPerItem(on[1])).isGreaterThan(graftsPerItem(off[1]));
  }

  /** The GRAFTs per item of the Plumtree line: "... per item 123 IHAVE, 4.5 GRAFT, ...". */
  private static double graftsPerItem(String output) {
    var m = java.util.regex.Pattern.compile("plumtree:.*IHAVE, ([0-9.]+) GRAFT").matcher(output);
    assertThat(m.find()).as("a Plumtree line in %s", output).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void noCompareFloodLeavesTheBaselineOut() {
    String[] result = run("--items", "2", "--nodes", "50", "--degree", "5", "--overlay", "random",
        "--duration", "1000", "--drain-ms", "2000", "--no-compare-flood");

    assertThat(result[0]).isEqualTo("0");
    assertThat(result[1]).contains("plumtree:").doesNotContain("flood:");
  }

  @Test
  void perItemPrintsOneLinePerItem() {
    String[] result = run("--items", "3", "--nodes", "50", "--degree", "5", "--overlay", "random",
        "--duration", "1000", "--drain-ms", "2000", "--per-item");

    assertThat(result[1]).contains("item   1 from node").contains("item   3 from node");
  }

  @Test
  void perItemNamesTheNodesThatMissedEachItem() {
    String[] result = run("--items", "3", "--nodes", "50", "--degree", "5", "--overlay", "random",
        "--duration", "1000", "--drain-ms", "2000", "--per-item", "--loss", "0.2",
        "--no-compare-flood"); // lost messages break links: items miss nodes

    Matcher line = Pattern.compile(
        "plumtree reached (\\d+),[^\\n]*?(?:; missed by nodes? ([\\d ]+?)(?: and (\\d+) more)?)?$",
        Pattern.MULTILINE).matcher(result[1]);
    int lines = 0;
    int missedInAll = 0;
    while (line.find()) {
      lines++;
      int missed = 50 - Integer.parseInt(line.group(1));
      int named = line.group(2) == null ? 0 : line.group(2).split(" ").length;
      int more = line.group(3) == null ? 0 : Integer.parseInt(line.group(3));
      assertThat(named).isLessThanOrEqualTo(10);
      assertThat(named + more).as(line.group()).isEqualTo(missed);
      missedInAll += missed;
    }
    assertThat(lines).isEqualTo(3);
    assertThat(missedInAll).isPositive();
  }

  @Test
  void unknownOverlayIsAOneLineUsageError() {
    String[] result = run("--items", "3", "--overlay", "ring");

    assertThat(result[0]).isEqualTo("2");
    assertThat(result[2]).contains("--overlay takes 'joins' or 'random', got 'ring'")
        .doesNotContain("Exception");
  }

  @Test
  void crashAfterTheLastItemIsAUsageError() {
    String[] result = run("--items", "3", "--crash", "0.3", "--crash-after-items", "3");

    assertThat(result[0]).isEqualTo("2");
    assertThat(result[2]).contains("the crash must come before the last item");
  }

  @Test
  void negativeItemCountIsAUsageError() {
    String[] result = run("--items", "-1");

    assertThat(result[0]).isEqualTo("2");
    assertThat(result[2]).contains("items -1 is outside 1..10000");
  }
}
