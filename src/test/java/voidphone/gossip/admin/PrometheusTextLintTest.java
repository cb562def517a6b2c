package voidphone.gossip.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The strict exposition reader finds what it is there to find, and passes a clean exposition. */
class PrometheusTextLintTest {
  private static final String CLEAN = """
      # HELP up_total Things
      # TYPE up_total counter
      up_total 3.0
      # HELP depth Items waiting
      # TYPE depth gauge
      depth{queue="a",kind="x\\"y"} 1.0
      depth{queue="b"} NaN
      # HELP rtt_seconds Round trips
      # TYPE rtt_seconds histogram
      rtt_seconds_bucket{le="0.1"} 1
      rtt_seconds_bucket{le="1.0"} 2
      rtt_seconds_bucket{le="+Inf"} 2
      rtt_seconds_count 2
      rtt_seconds_sum 0.6
      """;

  @Test
  void aCleanExpositionHasNoProblems() {
    assertThat(PrometheusTextLint.problems(CLEAN)).isEmpty();
  }

  @Test
  void missingHelpOrTypeIsAProblem() {
    assertThat(PrometheusTextLint.problems("# TYPE x gauge\nx 1\n")).anyMatch(p -> p.contains("HELP"));
    assertThat(PrometheusTextLint.problems("# HELP x X\nx 1\n")).anyMatch(p -> p.contains("TYPE"));
    assertThat(PrometheusTextLint.problems("# HELP x \n# TYPE x gauge\nx 1\n")).anyMatch(p -> p.contains("empty HELP"));
    assertThat(PrometheusTextLint.problems("x 1\n")).anyMatch(p -> p.contains("without HELP and TYPE"));
  }

  @Test
  void helpAfterSamplesAndDuplicatesAreProblems() {
    assertThat(PrometheusTextLint.problems("# TYPE x gauge\nx 1\n# HELP x X\n")).anyMatch(p -> p.contains("after the family's samples"));
    assertThat(PrometheusTextLint.problems("# HELP x X\n# TYPE x gauge\nx 1\nx 2\n")).anyMatch(p -> p.contains("duplicate series"));
  }

  @Test
  void aCounterMustEndInTotal() {
    assertThat(PrometheusTextLint.problems("# HELP x X\n# TYPE x counter\nx 1\n")).anyMatch(p -> p.contains("_total"));
  }

  @Test
  void badNamesLabelsAndValuesAreProblems() {
    assertThat(PrometheusTextLint.problems("# HELP 1x X\n# TYPE 1x gauge\n")).anyMatch(p -> p.contains("invalid metric name"));
    assertThat(PrometheusTextLint.problems("# HELP x X\n# TYPE x gauge\nx{a=b} 1\n")).anyMatch(p -> p.contains("label syntax"));
    assertThat(PrometheusTextLint.problems("# HELP x X\n# TYPE x gauge\nx{__a=\"b\"} 1\n")).anyMatch(p -> p.contains("bad label name"));
    assertThat(PrometheusTextLint.problems("# HELP x X\n# TYPE x gauge\nx 1d\n")).anyMatch(p -> p.contains("bad value"));
    assertThat(PrometheusTextLint.problems("# HELP x X\n# TYPE x gauge\nx 1")).anyMatch(p -> p.contains("newline"));
  }

  @Test
  void aHistogramNeedsInfBucketCountAndSum() {
    String noInf = "# HELP h H\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 1\n";
    assertThat(PrometheusTextLint.problems(noInf)).anyMatch(p -> p.contains("+Inf"));
    String noSum = "# HELP h H\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n";
    assertThat(PrometheusTextLint.problems(noSum)).anyMatch(p -> p.contains("_sum"));
    String mismatch = "# HELP h H\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 1\nh_sum 1\n";
    assertThat(PrometheusTextLint.problems(mismatch)).anyMatch(p -> p.contains("!= _count"));
    String decreasing = "# HELP h H\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n";
    assertThat(PrometheusTextLint.problems(decreasing)).anyMatch(p -> p.contains("decrease"));
  }

  @Test
  void aFamilyIsOneBlock() {
    String split = "# HELP a A\n# TYPE a gauge\na 1\n# HELP b B\n# TYPE b gauge\nb 1\na{x=\"1\"} 2\n";
    assertThat(PrometheusTextLint.problems(split)).anyMatch(p -> p.contains("outside its family's block"));
  }
}
