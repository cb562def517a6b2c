/**
 * Plumtree broadcast as a sans-IO state machine: {@link voidphone.gossip.core.broadcast.Plumtree}
 * takes inputs (neighbours up and down, local announces, peer messages, verdicts, timers) and emits
 * outputs to a {@link voidphone.gossip.core.broadcast.BroadcastIo}; {@link
 * voidphone.gossip.core.broadcast.BroadcastCodec} is the wire format. Protocol, limits and the
 * measurements behind the defaults: {@code docs/protocol/broadcast.md}.
 */
package voidphone.gossip.core.broadcast;
