package voidphone.gossip.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompareReportTest {
  private static CompareResult row(String system, String config, String mode, double p99, double bytes) {
    return new CompareResult(system, config, system + " " + config + " because", 50, 300, mode,
        mode.equals("rate") ? 20 : 0, p99 / 2, p99, 0, 1, bytes, 5, 10,
        Map.of("bytes_method", system + " bytes", "validation", system + " validates"));
  }

  @Test
  void aRatioIsThePeersFigureOverOursAndUnmeasuredWhenEitherIsMissing() {
    assertThat(CompareReport.ratio(34, 10)).isEqualTo(3.4);
    assertThat(CompareReport.ratio(Double.NaN, 10)).isNaN();
    assertThat(CompareReport.ratio(10, 0)).isNaN();
    assertThat(CompareReport.times(3.4)).isEqualTo("3.4x");
    assertThat(CompareReport.times(42.4)).isEqualTo("42x");
    assertThat(CompareReport.times(0.456)).isEqualTo("0.46x");
    assertThat(CompareReport.times(Double.NaN)).isEqualTo("n/a");
  }

  @Test
  void eachPeerIsComparedWithOursConfigByConfigAndBestAgainstBestWithinAMode() {
    List<CompareResult> rows = List.of(
        row("ours", "default", "sequential", 10, 500), row("ours", "tuned", "sequential", 8, 300),
        row("scalecube", "default", "sequential", 340, 20_000), row("scalecube", "tuned", "sequential", 96, 25_000),
        row("ours", "default", "rate", 12, 480), row("gossipsub", "default", "rate", 600, 4_000));

    List<String> lines = CompareReport.ratios(rows);

    assertThat(lines).contains(
        "sequential, default against default: p99 scalecube/ours = 34x, bytes scalecube/ours = 40x",
        "sequential, tuned against tuned: p99 scalecube/ours = 12x, bytes scalecube/ours = 83x",
        "rate 20/s, default against default: p99 gossipsub/ours = 50x, bytes gossipsub/ours = 8.3x",
        "ours is ahead of every peer on p99 and on bytes per node and item in every pairing above");
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("sequential, best row of each: p99 scalecube/ours"
        + " = 12x (tuned 96.0 ms / tuned 8.0 ms), bytes scalecube/ours = 67x (default 20000 B / tuned 300 B)"));
  }

  @Test
  void aPairingWhereOursIsBehindIsNamed() {
    List<CompareResult> rows = List.of(row("ours", "default", "sequential", 50, 500),
        row("scalecube", "default", "sequential", 40, 20_000));

    assertThat(CompareReport.ratios(rows)).contains("sequential, default against default: p99 scalecube/ours = 0.80x,"
        + " bytes scalecube/ours = 40x", "ours is NOT ahead in: sequential, default, scalecube (p99)");
  }

  @Test
  void theReportSaysHowEachSystemWasConfiguredAndMeasuredAndTablesEveryRow() {
    List<CompareResult> rows = List.of(row("ours", "default", "sequential", 10, 500),
        CompareResult.parseLine(CompareResultTest.GOSSIPSUB_LINE));

    String report = CompareReport.render(rows);

    assertThat(report).contains("  ours default: ours default because\n", "  gossipsub default: D=6, \"as documented\"\n",
        "How the bytes were measured:\n  ours: ours bytes\n  gossipsub: socket bytesWritten\n",
        "Validation:\n  ours: ours validates\n  gossipsub: a topic validator on every node",
        "p99 gossipsub/ours = 97x, bytes gossipsub/ours = 8.2x");
    assertThat(report.lines().filter(l -> l.startsWith("ours ") || l.startsWith("gossipsub "))).hasSize(2);
    assertThat(report).containsPattern("gossipsub +default +sequential +- +50 +344\\.50 +966\\.12 +0 +8\\.10 +4121");
  }
}
