package voidphone.gossip.sim;

import voidphone.gossip.core.broadcast.BroadcastConfig;

/**
 * An attack scenario: honest nodes running the production core, sybils among them, and a stream
 * of items from random honest nodes while the attack lasts.
 *
 * @param sim the network and the membership configuration (every node, sybil or not, runs it)
 * @param broadcast the broadcast configuration of every node
 * @param honest honest nodes
 * @param sybils sybil identities; each is one node of its own, as each must hold its own links
 * @param attack what the sybils do once the attack starts
 * @param timing when the sybils arrive and when they start
 * @param joinIntervalMillis virtual ms between two joins
 * @param settleMillis virtual ms the overlay settles after the last join, before the attack (for
 *     {@link Timing#FLASH}: before the sybils' good behaviour begins)
 * @param flashAfterMillis for {@link Timing#FLASH}: how long the sybils behave, items flowing,
 *     before they all turn at once
 * @param items honest items announced during the attack, one every {@code itemIntervalMillis}
 * @param itemIntervalMillis virtual ms between two items
 * @param drainMillis virtual ms watched after the last item
 * @param probeMillis how often the honest overlay is measured during the attack
 * @param sybilHosts real addresses the sybils' links come from, shared in turn (each in a /24 of
 *     its own), while every sybil advertises an address of its own; 0: each sybil's links come
 *     from the address it advertises
 */
public record AttackSpec(
    SimConfig sim,
    BroadcastConfig broadcast,
    int honest,
    int sybils,
    Attack attack,
    Timing timing,
    long joinIntervalMillis,
    long settleMillis,
    long flashAfterMillis,
    int items,
    long itemIntervalMillis,
    long drainMillis,
    long probeMillis,
    int sybilHosts) {

  /** When the sybils come, and when they turn. */
  public enum Timing {
    /** The honest overlay forms and settles; then the sybils join, and attack at once. */
    SETTLED,
    /** The sybils form a network first and attack from the start; honest nodes boot into it. */
    COLD_BOOT,
    /** Honest nodes and sybils join together in random order, the sybils attacking from the start. */
    DAWN,
    /**
     * The sybils join a settled overlay and behave, items flowing, for {@code flashAfterMillis};
     * then all turn at once (the covert flash).
     */
    FLASH
  }

  public AttackSpec {
    if (honest < 2) {
      throw new IllegalArgumentException("an attack needs at least 2 honest nodes, not " + honest);
    }
    if (sybils < 0) {
      throw new IllegalArgumentException("sybils must not be negative");
    }
    if (sybilHosts < 0) {
      throw new IllegalArgumentException("sybil hosts must not be negative");
    }
    if (items < 1 || itemIntervalMillis < 1 || probeMillis < 1) {
      throw new IllegalArgumentException("an attack needs items, an item interval and a probe interval");
    }
  }

  /** The same run without attackers: the honest nodes alone, same seed. */
  public AttackSpec withoutSybils() {
    return new AttackSpec(sim, broadcast, honest, 0, attack, timing, joinIntervalMillis, settleMillis,
        flashAfterMillis, items, itemIntervalMillis, drainMillis, probeMillis, sybilHosts);
  }

  /** The same with the sybils' links coming from {@code hosts} real addresses. */
  /** The same scenario with {@code count} honest items. */
  public AttackSpec withItems(int count) {
    return new AttackSpec(sim, broadcast, honest, sybils, attack, timing, joinIntervalMillis, settleMillis,
        flashAfterMillis, count, itemIntervalMillis, drainMillis, probeMillis, sybilHosts);
  }

  /** The same scenario with {@code count} sybils. */
  public AttackSpec withSybils(int count) {
    return new AttackSpec(sim, broadcast, honest, count, attack, timing, joinIntervalMillis, settleMillis,
        flashAfterMillis, items, itemIntervalMillis, drainMillis, probeMillis, sybilHosts);
  }

  public AttackSpec withSybilHosts(int hosts) {
    return new AttackSpec(sim, broadcast, honest, sybils, attack, timing, joinIntervalMillis, settleMillis,
        flashAfterMillis, items, itemIntervalMillis, drainMillis, probeMillis, hosts);
  }
}
