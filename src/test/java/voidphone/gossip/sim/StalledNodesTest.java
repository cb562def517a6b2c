package voidphone.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import voidphone.gossip.core.broadcast.BroadcastConfig;
import voidphone.gossip.core.membership.MembershipConfig;

/**
 * Honest nodes that stop for a second now and then, as a node on an overloaded host does, while
 * items come fast (100 a second): their GRAFT answers come late, never not at all, so nobody may
 * count them against the node. Before late answers cleared their GRAFTs (PeerAllowance), this
 * run gave stalled honest nodes 61 FALSE_ANNOUNCEMENT penalties.
 */
class StalledNodesTest {
  @Test
  void honestNodesThatStallAndAnswerGraftsLateAreNeverPenalised() {
    SimConfig sim = SimConfig.defaults(1, MembershipConfig.defaults()).withStalls(new Stalls(0.2, 1_000, 4_000));
    BroadcastSpec spec = BroadcastSpec.of(sim, 1_000)
        .withBroadcast(BroadcastConfig.defaults())
        .withItems(new BroadcastSpec.Items(400, 10, 10, 10_000, 0))
        .withCompareFlood(false);

    BroadcastReport report = BroadcastScenario.run(spec);

    assertThat(report.plumtree().grafts()).as("GRAFTs, some to stalled nodes").isPositive();
    assertThat(report.plumtree().penalties()).as("penalties given to honest peers").isZero();
  }
}
