package voidphone.gossip.link;

import java.time.Duration;

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
 * @param maxLinks most links (established or handshaking) at once. Default 256
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

  public static final int PROTOCOL_VERSION = 2;

  public static LinkSettings defaults() {
    return new LinkSettings(
        128 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(2), 3, 4 << 20, Duration.ofSeconds(10), 256, 8);
  }

  public Duration deadAfter() {
    return keepaliveInterval.multipliedBy(missedKeepalives);
  }
}
