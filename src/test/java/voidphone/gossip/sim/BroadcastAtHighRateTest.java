package voidphone.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import voidphone.gossip.core.broadcast.BroadcastConfig;
import voidphone.gossip.core.membership.MembershipConfig;

/**
 * 1,000 honest nodes, 100 items a second for 10 s (the rate a default {@code cache_size} of 50 keeps
 * for half a second), with the defaults a node runs. At this rate a node whose tree link breaks
 * must GRAFT each item it misses before every announcer's cache has moved on. The seeds are those
 * on which deliveries were lost ({@code docs/protocol/broadcast.md}, section 6): node 981 missed 7
 * items on seed 1 and node 642 19 on seed 7 until the GRAFT wait was bounded by the network's item
 * rate instead of the node's own cache; seed 10 lost 3 until an item's first GRAFT came due at the
 * soonest any of its IHAVEs called for. Equivalent command: {@code gossip sim --nodes 1000 --items
 * 1000 --warm-up-items 200 --item-interval-ms 10 --no-compare-flood --seed S}.
 */
class BroadcastAtHighRateTest {

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 7, 10})
  void everyItemReachesEveryNode(long seed) {
    BroadcastSpec spec = BroadcastSpec.of(SimConfig.defaults(seed, MembershipConfig.defaults()), 1_000)
        .withBroadcast(BroadcastConfig.defaults())
        .withItems(new BroadcastSpec.Items(1_000, 10, 200, 10_000, 0))
        .withCompareFlood(false);

    BroadcastReport report = BroadcastScenario.run(spec);

    assertThat(report.plumtree().items())
        .allSatisfy(item -> assertThat(item.reached()).as("item %d", item.index() + 1)
            .isEqualTo(item.alive()));
  }
}
