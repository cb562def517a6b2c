package voidphone.gossip.sim;

import voidphone.gossip.core.broadcast.ItemId;

/** Timer of a simulated subscriber: its VALID verdict on {@code id} is ready now. */
record VerdictDue(ItemId id) {}
