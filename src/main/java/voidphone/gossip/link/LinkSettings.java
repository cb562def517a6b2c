package voidphone.gossip.link;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Limits and timers of peer links. Defaults are chosen for a VoIP signalling overlay: dead peers are
 * noticed within {@code keepaliveInterval * missedKeepalives} (6 s), and nothing a stranger sends can
 * make a node allocate more than {@code maxFrameBytes} at once.
 *
 * @param maxFrameBytes largest frame accepted, checked from the length prefix before allocating;
 *     leaves room for the largest API item (65,527 bytes) plus headers. Default 128 KiB
 * @param handshakeTimeout TLS plus HELLO must complete within this, else the link is dropped. Default 10 s
 * @param keepaliveInterval a PING is sent after this much outbound silence. Default 2 s
 * @param missedKeepalives the link is declared dead after this many intervals without any inbound frame. Default 3
 * @param sendBufferBytes bytes queued for one peer beyond which sends to it are dropped. Default 4 MiB
 * @param stallTimeout a peer whose queue stays full this long is disconnected as stalled. Default 10 s
 * @param maxLinks most links (established or handshaking) at once. Default 256. Accepted connections
 *     still in their handshake hold at most a quarter of them ({@link #maxPendingHandshakes()}); when
 *     that share or all slots are taken, the one that has waited longest is dropped for the newcomer
 * @param maxHandshakesPerIp most simultaneous handshakes from one IP address, loopback exempt. Default 8
 */
public record LinkSettings(
    int maxFrameBytes,
    Duration handshakeTimeout,
    Duration keepaliveInterval,
    int missedKeepalives,
    int sendBufferBytes,
    Duration stallTimeout,
    int maxLinks,
    int maxHandshakesPerIp) {

  public static final int PROTOCOL_VERSION = 3;

  /**
   * Accepted connections in their handshake at once: a quarter of {@code maxLinks} (at least 1).
   * Beyond it the oldest is dropped, so silent connections cannot hold the slots honest peers need.
   */
  public int maxPendingHandshakes() {
    return Math.max(1, maxLinks / 4);
  }

  /** The production profile: a dead peer is noticed within 6 s. */
  public static LinkSettings defaults() {
    return new Builder().build();
  }

  /**
   * The fast-tests profile: a dead peer is noticed within 1 s (keepalives every 250 ms, four
   * missed), and many handshakes from one address at once, because a test network dials from
   * loopback only. Production otherwise.
   */
  public static LinkSettings fastFailureDetection() {
    return defaults().with(k -> {
      k.keepaliveInterval = Duration.ofMillis(250);
      k.missedKeepalives = 4;
      k.maxHandshakesPerIp = 64;
    });
  }

  /** A copy with the changes {@code change} makes to the settings, by name. */
  public LinkSettings with(Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The settings by name, each at its default; {@link #build()} makes the record. */
  public static final class Builder {
    public int maxFrameBytes = 128 * 1024;
    public Duration handshakeTimeout = Duration.ofSeconds(10);
    public Duration keepaliveInterval = Duration.ofSeconds(2);
    public int missedKeepalives = 3;
    public int sendBufferBytes = 4 << 20;
    public Duration stallTimeout = Duration.ofSeconds(10);
    public int maxLinks = 256;
    public int maxHandshakesPerIp = 8;

    public Builder() {}

    Builder(LinkSettings s) {
      maxFrameBytes = s.maxFrameBytes;
      handshakeTimeout = s.handshakeTimeout;
      keepaliveInterval = s.keepaliveInterval;
      missedKeepalives = s.missedKeepalives;
      sendBufferBytes = s.sendBufferBytes;
      stallTimeout = s.stallTimeout;
      maxLinks = s.maxLinks;
      maxHandshakesPerIp = s.maxHandshakesPerIp;
    }

    public LinkSettings build() {
      return new LinkSettings(maxFrameBytes, handshakeTimeout, keepaliveInterval, missedKeepalives,
          sendBufferBytes, stallTimeout, maxLinks, maxHandshakesPerIp);
    }
  }

  public Duration deadAfter() {
    return keepaliveInterval.multipliedBy(missedKeepalives);
  }
}
