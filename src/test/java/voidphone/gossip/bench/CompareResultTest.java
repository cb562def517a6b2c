package voidphone.gossip.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompareResultTest {
  /** A line as the GossipSub harness prints it: nulls, nested objects and fields of its own. */
  static final String GOSSIPSUB_LINE = "RESULT {\"system\":\"gossipsub\",\"config\":\"default\",\"why\":\"D=6, \\\"as"
      + " documented\\\"\",\"nodes\":50,\"items\":300,\"mode\":\"sequential\",\"rate\":0,\"all_p50_ms\":344.5,"
      + "\"all_p99_ms\":966.12,\"lost\":0,\"copies_per_node_item\":8.1,\"bytes_per_node_item\":4120.5,"
      + "\"cpu_ms_per_item\":410,\"wall_s\":120.5,\"bytes_method\":\"socket bytesWritten\",\"achieved_rate\":null,"
      + "\"versions\":{\"libp2p\":\"2.10.0\"}}";

  @Test
  void aHarnessLineIsReadWithItsOwnFieldsKeptInOrder() {
    CompareResult r = CompareResult.parseLine(GOSSIPSUB_LINE);

    assertThat(r.system()).isEqualTo("gossipsub");
    assertThat(r.why()).isEqualTo("D=6, \"as documented\"");
    assertThat(r.mode()).isEqualTo("sequential");
    assertThat(r.allP99Ms()).isEqualTo(966.12);
    assertThat(r.cpuMsPerItem()).isEqualTo(410.0); // an integer in JSON is a number all the same
    assertThat(r.extra().keySet()).containsExactly("bytes_method", "achieved_rate", "versions");
    assertThat(r.text("bytes_method", "?")).isEqualTo("socket bytesWritten");
    assertThat(r.text("achieved_rate", "none")).isEqualTo("none");
    assertThat(r.text("validation", "(not reported)")).isEqualTo("(not reported)");
  }

  @Test
  void aLineWrittenIsReadBackTheSame() {
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("bytes_method", "kernel counters");
    extra.put("degree", 30L);
    CompareResult r = new CompareResult("ours", "tuned", "degree 8", 50, 300, "rate", 20, 4.2, 15.9, 1, 1.01, 480.5,
        7.25, 15.2, extra);

    CompareResult back = CompareResult.parseLine(r.line());

    assertThat(back).isEqualTo(r);
    assertThat(r.line()).startsWith("RESULT {\"system\":\"ours\",\"config\":\"tuned\"");
  }

  @Test
  void anUnmeasuredFigureIsNullOnTheLineAndNaNInTheRow() {
    CompareResult r = new CompareResult("scalecube", "default", "w", 50, 10, "sequential", 0, Double.NaN, Double.NaN,
        10, 0, 0, 1, 1, Map.of());

    assertThat(r.line()).contains("\"all_p99_ms\":null");
    assertThat(CompareResult.parseLine(r.line()).allP99Ms()).isNaN();
  }

  @Test
  void aLineWithoutACommonFieldOrNotAResultIsRefused() {
    String withoutBytes = GOSSIPSUB_LINE.replace("\"bytes_per_node_item\":4120.5,", "");
    assertThatThrownBy(() -> CompareResult.parseLine(withoutBytes))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytes_per_node_item");
    assertThatThrownBy(() -> CompareResult.parseLine("gossipsub bench: started 50 nodes"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a result line");
    assertThatThrownBy(() -> CompareResult.parseLine("RESULT [1, 2]"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON object");
    assertThat(CompareResult.FIELDS).hasSize(14).doesNotHaveDuplicates();
    assertThat(List.copyOf(CompareResult.parseLine(GOSSIPSUB_LINE).toJson().keySet()).subList(0, 14))
        .isEqualTo(CompareResult.FIELDS);
  }
}
