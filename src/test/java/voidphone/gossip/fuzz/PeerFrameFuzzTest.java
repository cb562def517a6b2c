package voidphone.gossip.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import voidphone.gossip.core.DialFailure;
import voidphone.gossip.core.NodeCore;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.NodeSettings;
import voidphone.gossip.core.Output;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.PeerAddress;
import voidphone.gossip.core.Reputation;
import voidphone.gossip.core.broadcast.BroadcastCodec;
import voidphone.gossip.core.broadcast.BroadcastConfig;
import voidphone.gossip.core.broadcast.ItemId;
import voidphone.gossip.core.broadcast.MalformedBroadcastException;
import voidphone.gossip.core.broadcast.Verdict;
import voidphone.gossip.core.membership.MembershipCodec;
import voidphone.gossip.core.membership.MembershipConfig;
import voidphone.gossip.core.membership.MembershipDecodeException;
import voidphone.gossip.core.membership.MembershipMessage;

/**
 * {@link NodeCore#frame}, the one entry through which every membership and broadcast frame from a
 * peer reaches the protocols (after the link has taken channel 0), under arbitrary sequences of
 * frames from a neighbour. Unlike the codec tests this also drives HyParView and Plumtree with
 * whatever decodes, and checks what the node sends in return.
 */
class PeerFrameFuzzTest {
  static final Peer SELF = new Peer(new NodeId(1, 0, 0, 0), new PeerAddress("10.0.0.1", 7000));
  /** The neighbour whose frames are fuzzed. */
  static final Peer SENDER = new Peer(new NodeId(2, 0, 0, 0), new PeerAddress("10.0.1.1", 7000));
  /** Another neighbour, so that what the sender's frames make the node forward goes somewhere. */
  static final Peer OTHER = new Peer(new NodeId(3, 0, 0, 0), new PeerAddress("10.0.2.1", 7000));

  /** One frame in the input: {@code channel u8 | length u16 | body}; see {@link #frames}. */
  static final int FRAME_HEADER = 3;

  /**
   * Every frame is handled without an exception escaping; one its channel's codec cannot decode
   * (or one on a channel the core does not know) costs the sender a protocol-violation penalty;
   * and every message the node sends in return can be encoded, since the runtime encodes each
   * output on the event loop, where an exception would cut short the outputs after it.
   */
  @FuzzTest(maxExecutions = FuzzBudget.EXECUTIONS, maxDuration = FuzzBudget.DURATION)
  void anyFrameFromANeighbourIsHandledOrBlamedOnIt(byte[] input) {
    Node node = new Node();
    for (Frame frame : frames(input)) {
      if (node.senderClosed) {
        break; // the runtime closed the link: nothing more arrives on it
      }
      boolean decodes = decodes(frame);
      List<Output.Penalty> penalties = node.frame(frame);
      if (!decodes) {
        assertThat(penalties)
            .as("penalties for an undecodable frame on channel %d", frame.channel())
            .contains(new Output.Penalty(SENDER.id(), Reputation.Offence.PROTOCOL_VIOLATION));
      }
    }
  }

  /** A frame of the input; a body cut short by the end of the input is taken as far as it goes. */
  record Frame(int channel, byte[] body) {}

  static List<Frame> frames(byte[] input) {
    List<Frame> frames = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(input);
    while (in.remaining() >= FRAME_HEADER) {
      int channel = Byte.toUnsignedInt(in.get());
      int length = Math.min(Short.toUnsignedInt(in.getShort()), in.remaining());
      byte[] body = new byte[length];
      in.get(body);
      frames.add(new Frame(channel, body));
    }
    return frames;
  }

  /** The input that carries {@code frames}: what the seed corpus is written with. */
  static byte[] input(Frame... frames) {
    ByteBuffer out = ByteBuffer.allocate(Arrays.stream(frames).mapToInt(f -> FRAME_HEADER + f.body().length).sum());
    for (Frame f : frames) {
      out.put((byte) f.channel()).putShort((short) f.body().length).put(f.body());
    }
    return out.array();
  }

  private static boolean decodes(Frame frame) {
    try {
      switch (frame.channel()) {
        case NodeCore.CHANNEL_MEMBERSHIP -> MembershipCodec.decode(ByteBuffer.wrap(frame.body()));
        case NodeCore.CHANNEL_BROADCAST -> BroadcastCodec.decode(ByteBuffer.wrap(frame.body()));
        default -> {
          return false;
        }
      }
      return true;
    } catch (MembershipDecodeException | MalformedBroadcastException e) {
      return false;
    }
  }

  /**
   * A core with the sender and one other peer as neighbours, driven as the runtime drives it: each
   * output carried out at once, dials failing, and every delivered item judged valid, so that
   * items spread on. Frames come 10 ms apart, whatever pauses the core asks for.
   */
  private static final class Node {
    final NodeCore core = new NodeCore(SELF, NodeSettings.defaults(), MembershipConfig.withDegree(4),
        BroadcastConfig.defaults(), new SplittableRandom(1), Reputation.withDefaults(), List.of(), List.of());
    long now = 1_000;
    boolean senderClosed;

    Node() {
      core.start(now);
      for (Peer neighbour : List.of(SENDER, OTHER)) {
        core.linkUp(neighbour.id(), neighbour.address(), null, now);
        core.receive(neighbour.id(), new MembershipMessage.Neighbor(neighbour.address(), true), now);
      }
      carryOut();
    }

    /** Hands {@code frame} to the core from the sender; returns the penalties it caused. */
    List<Output.Penalty> frame(Frame frame) {
      now += 10;
      core.frame(SENDER.id(), frame.channel(), ByteBuffer.wrap(frame.body()), now);
      return carryOut();
    }

    private List<Output.Penalty> carryOut() {
      List<Output.Penalty> penalties = new ArrayList<>();
      List<ItemId> delivered = new ArrayList<>();
      do {
        for (ItemId id : delivered) {
          core.verdict(id, Verdict.VALID, now);
        }
        delivered.clear();
        for (Output output; (output = core.poll()) != null; ) {
          switch (output) {
            case Output.SendMembership s -> MembershipCodec.encode(s.message()); // must not throw
            case Output.SendBroadcast s -> BroadcastCodec.encode(s.message()); // must not throw
            case Output.Deliver d -> delivered.add(d.id());
            case Output.Penalty p -> penalties.add(p);
            case Output.Close c -> {
              senderClosed |= c.peer().equals(SENDER.id());
              core.linkDown(c.peer(), now);
            }
            case Output.Dial d -> core.dialFailed(d.address(), d.expected(), DialFailure.CONNECT, "fuzz: no network", now);
            case Output.Schedule s -> {} // timers are not fired: the input is the frames
            case Output.PauseReading p -> {} // the input is the frames read: a pause changes when, not what
            case Output.KnownPeers k -> {}
          }
        }
      } while (!delivered.isEmpty());
      return penalties;
    }
  }
}
