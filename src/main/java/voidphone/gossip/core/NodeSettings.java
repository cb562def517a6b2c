package voidphone.gossip.core;

import java.util.function.Consumer;

import voidphone.gossip.core.membership.MembershipMessage;

/**
 * The knobs of a {@link NodeCore} beyond its two protocols: how it treats links, bootstraps and
 * keeps its known peers. Immutable; {@link #defaults()} is what a node runs, {@link #with} changes knobs
 * by name.
 *
 * @param maxAwaitingPerPeer membership messages held for a peer while its link is being dialled;
 *     past it the oldest is dropped (counted in {@code frames_dropped}). Default 16
 * @param idleLinkMillis a link to a peer that is no neighbour (a shuffle reply's, a refused
 *     request's) is closed after this much silence. Default 15000
 * @param sweepMillis how often idle links are looked for, and an isolated node bootstraps again.
 *     Default 5000
 * @param firstBootstrapBackoffMillis the wait before the first bootstrap retry; it doubles with
 *     every round of failed bootstrap dials. Default 1000
 * @param maxBootstrapBackoffMillis the longest wait between bootstrap rounds. Default 60000
 * @param knownPeersDialledAtOnce known peers (from the peer cache) dialled at once per bootstrap
 *     round: enough that a few departed ones do not stall the rejoin, few enough that a restart does
 *     not knock on dozens of doors at the same moment. Default 4
 * @param savePeersMillis how often the known peers are handed to the driver for the peer cache.
 *     Default 30000
 * @param maxKnownPeers most peers handed over (the peer cache file's bound). Default 256
 * @param evidenceItems items a merge probe names as evidence of this node's part of the overlay
 *     (at most {@code MembershipMessage.MAX_EVIDENCE}); 0 sends none. Default 4
 * @param evidenceMinAgeMillis an item names this node's part only once it is this old: a younger
 *     one may not have reached the whole part yet. Default 2000
 * @param evidenceMaxAgeMillis nor once it is older than this: an item from before a partition
 *     names both sides. Default 30000
 * @param inboundMessagesPerSecond messages one linked peer may send per second on average (bursts of
 *     twice that) before its link is read more slowly; nothing is dropped, the peer's own TCP
 *     connection backs up. An honest neighbour sends at most the network's item rate plus a few
 *     announcement batches. Default 2000
 * @param inboundBytesPerSecond the same in frame bytes. Default 16 MiB (256 largest items a second)
 */
public record NodeSettings(
    int maxAwaitingPerPeer,
    long idleLinkMillis,
    long sweepMillis,
    long firstBootstrapBackoffMillis,
    long maxBootstrapBackoffMillis,
    int knownPeersDialledAtOnce,
    long savePeersMillis,
    int maxKnownPeers,
    int evidenceItems,
    long evidenceMinAgeMillis,
    long evidenceMaxAgeMillis,
    int inboundMessagesPerSecond,
    int inboundBytesPerSecond) {

  public NodeSettings {
    Checks.requireRange("maxAwaitingPerPeer", maxAwaitingPerPeer, 1, 1024);
    Checks.requirePositive("idleLinkMillis", idleLinkMillis);
    Checks.requirePositive("sweepMillis", sweepMillis);
    Checks.requirePositive("firstBootstrapBackoffMillis", firstBootstrapBackoffMillis);
    if (maxBootstrapBackoffMillis < firstBootstrapBackoffMillis) {
      throw new IllegalArgumentException("maxBootstrapBackoffMillis = " + maxBootstrapBackoffMillis
          + " is below firstBootstrapBackoffMillis = " + firstBootstrapBackoffMillis);
    }
    Checks.requireRange("knownPeersDialledAtOnce", knownPeersDialledAtOnce, 1, 1024);
    Checks.requirePositive("savePeersMillis", savePeersMillis);
    Checks.requireRange("maxKnownPeers", maxKnownPeers, 0, 1 << 16);
    Checks.requireRange("evidenceItems", evidenceItems, 0, MembershipMessage.MAX_EVIDENCE);
    Checks.requireRange("evidenceMinAgeMillis", evidenceMinAgeMillis, 0, evidenceMaxAgeMillis);
    Checks.requireRange("inboundMessagesPerSecond", inboundMessagesPerSecond, 1, 1 << 24);
    Checks.requireRange("inboundBytesPerSecond", inboundBytesPerSecond, 1 << 16, 1 << 30);
  }

  /** Most known peers handed over, and what the peer cache file holds. */
  public static final int MAX_KNOWN_PEERS = 256;

  /** The production profile: what a node runs. */
  public static NodeSettings defaults() {
    return new Builder().build();
  }

  /** A copy with the changes {@code change} makes to the knobs, by name; checked like any settings. */
  public NodeSettings with(Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The knobs by name, each at its default; {@link #build()} makes the record. */
  public static final class Builder {
    public int maxAwaitingPerPeer = 16;
    public long idleLinkMillis = 15_000;
    public long sweepMillis = 5_000;
    public long firstBootstrapBackoffMillis = 1_000;
    public long maxBootstrapBackoffMillis = 60_000;
    public int knownPeersDialledAtOnce = 4;
    public long savePeersMillis = 30_000;
    public int maxKnownPeers = MAX_KNOWN_PEERS;
    public int evidenceItems = 4;
    public long evidenceMinAgeMillis = 2_000;
    public long evidenceMaxAgeMillis = 30_000;
    public int inboundMessagesPerSecond = 2_000;
    public int inboundBytesPerSecond = 16 << 20;

    public Builder() {}

    Builder(NodeSettings s) {
      maxAwaitingPerPeer = s.maxAwaitingPerPeer;
      idleLinkMillis = s.idleLinkMillis;
      sweepMillis = s.sweepMillis;
      firstBootstrapBackoffMillis = s.firstBootstrapBackoffMillis;
      maxBootstrapBackoffMillis = s.maxBootstrapBackoffMillis;
      knownPeersDialledAtOnce = s.knownPeersDialledAtOnce;
      savePeersMillis = s.savePeersMillis;
      maxKnownPeers = s.maxKnownPeers;
      evidenceItems = s.evidenceItems;
      evidenceMinAgeMillis = s.evidenceMinAgeMillis;
      evidenceMaxAgeMillis = s.evidenceMaxAgeMillis;
      inboundMessagesPerSecond = s.inboundMessagesPerSecond;
      inboundBytesPerSecond = s.inboundBytesPerSecond;
    }

    public NodeSettings build() {
      return new NodeSettings(maxAwaitingPerPeer, idleLinkMillis, sweepMillis, firstBootstrapBackoffMillis,
          maxBootstrapBackoffMillis, knownPeersDialledAtOnce, savePeersMillis, maxKnownPeers, evidenceItems,
          evidenceMinAgeMillis, evidenceMaxAgeMillis, inboundMessagesPerSecond, inboundBytesPerSecond);
    }
  }
}
