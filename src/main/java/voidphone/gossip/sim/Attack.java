package voidphone.gossip.sim;

import java.util.Locale;

/**
 * What the sybils of an attack scenario do. Each sybil runs the production node core for its
 * membership, so it joins, holds links and answers shuffles like any peer (an attacker must, to
 * stay in anyone's views); its {@link Adversary} then filters what the core sends and adds what an
 * honest core never would. {@code docs/SECURITY.md} describes each with its defence and figures.
 */
public enum Attack {
  /** Takes every item, forwards none: no GOSSIP, IHAVE, GRAFT or PRUNE leaves it. */
  MUTE("takes everything, forwards nothing, answers no GRAFT"),
  /** Drops half of the payloads it would send, eager pushes and GRAFT answers alike. */
  DEGRADE("drops half of the payloads it would send"),
  /** Drops every payload and announcement of the items of one honest origin. */
  CENSOR("drops every item of one honest origin"),
  /**
   * Announces every item it receives at once, to every neighbour, and never sends a payload: the
   * first announcer honest nodes ask is a liar.
   */
  IHAVE_LIAR("announces items at once, never answers the GRAFT"),
  /** Mute, and sends every neighbour IHAVEs of 1,024 ids that exist nowhere, 40 a second. */
  IHAVE_FLOOD("mute, and 40 IHAVEs of 1,024 unknown ids per second to each neighbour"),
  /**
   * Mute, and GRAFTs from every neighbour 64 ids per message, 40 a second: the ids of the items
   * it has seen (each answer a payload) and unknown ones.
   */
  GRAFT_FLOOD("mute, and 40 GRAFTs of 64 ids per second to each neighbour"),
  /** Announces items that honest validators reject, 10 a second per sybil. */
  INVALID_FLOOD("announces 10 invalid items per second"),
  /**
   * Sends each item it receives on to its honest neighbours with its content changed but its id
   * kept: a forgery that would censor the item if it were remembered as seen.
   */
  FORGED_IDS("forwards every item with forged content under the genuine id"),
  /**
   * Every sybil presses one honest node (the victim) to take it as a neighbour: a high-priority
   * NEIGHBOR once a second while it is not in the victim's active view, never letting go of a link;
   * and mute.
   */
  ECLIPSE_ONE("all sybils press one honest node with high-priority NEIGHBORs, and are mute"),
  /** The same pressure, each sybil on as many random honest nodes as the degree: the whole network. */
  ECLIPSE_ALL("each sybil presses degree random honest nodes with high-priority NEIGHBORs, and is mute"),
  /**
   * Shuffle poisoning: every sybil sends each neighbour a SHUFFLE naming only sybils, 40 a second,
   * each ending at the neighbour (so it is answered and its entries taken); and mute. What the
   * honest passive views then hold is where they turn when neighbours fail.
   */
  SHUFFLE_POISON("mute, and 40 SHUFFLEs per second naming only sybils to each neighbour"),
  /**
   * Chatter: mute, and 5,000 messages a second to each neighbour, each harmless alone (a PRUNE):
   * what it costs is the handling. Expensive to simulate (every message is an event): run it with
   * few sybils.
   */
  CHATTER("mute, and 5,000 PRUNEs per second to each neighbour");

  private final String summary;

  Attack(String summary) {
    this.summary = summary;
  }

  public String summary() {
    return summary;
  }

  /** The name on the command line: lower case, with dashes. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The attack named {@code name} on the command line. */
  public static Attack fromCliName(String name) {
    for (Attack a : values()) {
      if (a.cliName().equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown attack " + name);
  }
}
