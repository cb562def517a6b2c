package voidphone.gossip.core.membership;

import java.util.ArrayList;
import java.util.List;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;

/** A {@link MembershipIo} that writes down every output, for tests to inspect. */
final class RecordingIo implements MembershipIo {
  sealed interface Output {}

  record Sent(Peer to, MembershipMessage message) implements Output {}

  record Replied(NodeId to, MembershipMessage message) implements Output {}

  record Disconnected(NodeId peer) implements Output {}

  record Scheduled(long delayMillis, MembershipTimer timer) implements Output {}

  record Up(NodeId peer) implements Output {}

  record Down(NodeId peer) implements Output {}

  final List<Output> outputs = new ArrayList<>();

  @Override
  public void send(Peer to, MembershipMessage message) {
    outputs.add(new Sent(to, message));
  }

  @Override
  public void reply(NodeId to, MembershipMessage message) {
    outputs.add(new Replied(to, message));
  }

  @Override
  public void disconnect(NodeId peer) {
    outputs.add(new Disconnected(peer));
  }

  /** What {@link #recentItems} answers. */
  List<voidphone.gossip.core.broadcast.ItemId> recent = List.of();
  /** The items {@link #seenAny} knows. */
  final java.util.Set<voidphone.gossip.core.broadcast.ItemId> seen = new java.util.HashSet<>();

  /** Where each peer's link comes from, as {@link #observedHost} answers; absent: unknown. */
  final java.util.Map<NodeId, String> observed = new java.util.HashMap<>();

  @Override
  public String observedHost(NodeId peer) {
    return observed.get(peer);
  }

  @Override
  public List<voidphone.gossip.core.broadcast.ItemId> recentItems() {
    return recent;
  }

  @Override
  public boolean seenAny(List<voidphone.gossip.core.broadcast.ItemId> ids) {
    return ids.stream().anyMatch(seen::contains);
  }

  /** The merge probe scheduled last (the live one), kept across {@link #clear}; null before. */
  Scheduled lastMergeProbe;

  @Override
  public void schedule(long delayMillis, MembershipTimer timer) {
    Scheduled scheduled = new Scheduled(delayMillis, timer);
    outputs.add(scheduled);
    if (timer instanceof MembershipTimer.MergeProbe) {
      lastMergeProbe = scheduled;
    }
  }

  @Override
  public void neighborUp(NodeId peer) {
    outputs.add(new Up(peer));
  }

  @Override
  public void neighborDown(NodeId peer) {
    outputs.add(new Down(peer));
  }

  void clear() {
    outputs.clear();
  }

  /** Messages sent or replied to {@code peer}, in order. */
  List<MembershipMessage> messagesTo(NodeId peer) {
    List<MembershipMessage> result = new ArrayList<>();
    for (Output o : outputs) {
      if (o instanceof Sent s && s.to().id().equals(peer)) {
        result.add(s.message());
      } else if (o instanceof Replied r && r.to().equals(peer)) {
        result.add(r.message());
      }
    }
    return result;
  }

  /** Every message of type {@code type} sent or replied, in order. */
  <M extends MembershipMessage> List<M> messages(Class<M> type) {
    List<M> result = new ArrayList<>();
    for (Output o : outputs) {
      MembershipMessage m =
          o instanceof Sent s ? s.message() : o instanceof Replied r ? r.message() : null;
      if (type.isInstance(m)) {
        result.add(type.cast(m));
      }
    }
    return result;
  }

  /** The peers messages of {@code type} went to, in order. */
  List<NodeId> recipients(Class<? extends MembershipMessage> type) {
    List<NodeId> result = new ArrayList<>();
    for (Output o : outputs) {
      if (o instanceof Sent s && type.isInstance(s.message())) {
        result.add(s.to().id());
      } else if (o instanceof Replied r && type.isInstance(r.message())) {
        result.add(r.to());
      }
    }
    return result;
  }

  <T extends MembershipTimer> List<T> timers(Class<T> type) {
    List<T> result = new ArrayList<>();
    for (Output o : outputs) {
      if (o instanceof Scheduled s && type.isInstance(s.timer())) {
        result.add(type.cast(s.timer()));
      }
    }
    return result;
  }

  boolean disconnected(NodeId peer) {
    return outputs.contains(new Disconnected(peer));
  }
}
