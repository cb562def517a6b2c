package voidphone.gossip.fuzz;

/**
 * How long each fuzz test fuzzes when it runs in fuzzing mode ({@code ./bench fuzz}, or
 * {@code JAZZER_FUZZ=1} under Maven). A normal build never fuzzes: it runs each test once over its
 * seed corpus and ignores these.
 */
final class FuzzBudget {
  /** Inputs per decoder: issue 12 asks for at least 10^6 per run. */
  static final long EXECUTIONS = 1_000_000;

  /**
   * A ceiling on time only, so that the count above, not the machine's speed, ends a run; Jazzer
   * would stop after 5 minutes otherwise, before 10^6 inputs of the slower targets.
   */
  static final String DURATION = "2h";

  private FuzzBudget() {}
}
