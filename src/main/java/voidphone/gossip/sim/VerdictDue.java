package voidphone.gossip.sim;

import voidphone.gossip.core.broadcast.ItemId;
import voidphone.gossip.core.broadcast.Verdict;

/** Timer of a simulated subscriber: its {@code verdict} on {@code id} is ready now. */
record VerdictDue(ItemId id, Verdict verdict) {}
