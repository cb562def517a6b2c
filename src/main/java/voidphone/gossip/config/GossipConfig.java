package voidphone.gossip.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import voidphone.gossip.core.broadcast.BroadcastConfig;
import voidphone.gossip.core.membership.MembershipConfig;

/**
 * Everything a node is configured with: the spec's keys (section 4 of {@code gossip-api.md}) and the
 * optional keys this project adds, each with the default an operator gets by leaving it out.
 * Immutable; built by the config loader from the peer's INI file, or directly by tests.
 *
 * @param source the INI file this came from, named in error messages (may be a placeholder in tests)
 * @param hostkey {@code hostkey}: path of this peer's RSA private key (PEM)
 * @param cacheSize {@code cache_size}: how many data items the node keeps to spread (and to answer
 *     repair requests with); older ones are evicted for newer ones. Default 50
 * @param degree {@code degree}: how many peers this node keeps open links with (HyParView active
 *     view). Default 30
 * @param bootstrappers {@code bootstrapper}: peers to contact to join; empty means this node starts
 *     a new network. A comma-separated list is accepted
 * @param p2pAddress {@code p2p_address}: where this node listens for peers (required)
 * @param apiAddress {@code api_address}: where this node listens for local modules (required)
 * @param adminAddress {@code admin_address}: optional HTTP endpoint for /status and /metrics; bind
 *     it to loopback
 * @param validationTimeout {@code validation_timeout_ms}: how long a received item waits for the
 *     local subscribers' VALIDATION before it is dropped unforwarded. Default 10000 ms
 * @param apiSendBufferBytes {@code api_send_buffer_bytes}: most bytes of notifications queued for one
 *     API connection that is not reading; past it that connection is closed. Default 4 MiB
 * @param apiMaxConnections {@code api_max_connections}: most API connections served at once; more
 *     are refused. Default 4096
 * @param powDifficulty {@code pow_difficulty}: leading zero bits the proof of work on a peer's
 *     identity must have, for this node's own identity and for every peer it accepts. Default 24
 *     (a few seconds, once per key)
 * @param maxPeersPerSubnet {@code max_peers_per_subnet}: anti-eclipse bound, most entries of the
 *     active view, and of the passive view, from one IPv4 /24, IPv6 /64 or host name; loopback
 *     addresses are exempt (a testnet on one machine). 0 disables the bound. Default 4
 */
public record GossipConfig(
    Path source,
    Path hostkey,
    int cacheSize,
    int degree,
    List<HostPort> bootstrappers,
    HostPort p2pAddress,
    HostPort apiAddress,
    Optional<HostPort> adminAddress,
    Duration validationTimeout,
    int apiSendBufferBytes,
    int apiMaxConnections,
    int powDifficulty,
    int maxPeersPerSubnet) {

  public static final int DEFAULT_CACHE_SIZE = BroadcastConfig.DEFAULT_CACHE_SIZE;
  public static final int DEFAULT_DEGREE = MembershipConfig.DEFAULT_DEGREE;
  public static final Duration DEFAULT_VALIDATION_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_API_SEND_BUFFER_BYTES = 4 << 20;
  public static final int DEFAULT_API_MAX_CONNECTIONS = 4096;
  /** 2^24 hashes: about 2 to 4 s once per key on a 2-core test machine (measured). */
  public static final int DEFAULT_POW_DIFFICULTY = 24;
  public static final int DEFAULT_MAX_PEERS_PER_SUBNET = MembershipConfig.DEFAULT_MAX_PEERS_PER_SUBNET;

  public GossipConfig {
    bootstrappers = List.copyOf(bootstrappers);
  }

  /** A config with every optional key at its default; for tests and {@code gossip testnet}. */
  public static GossipConfig withDefaults(Path hostkey, HostPort p2pAddress, HostPort apiAddress) {
    return new GossipConfig(
        Path.of("(built-in)"),
        hostkey,
        DEFAULT_CACHE_SIZE,
        DEFAULT_DEGREE,
        List.of(),
        p2pAddress,
        apiAddress,
        Optional.empty(),
        DEFAULT_VALIDATION_TIMEOUT,
        DEFAULT_API_SEND_BUFFER_BYTES,
        DEFAULT_API_MAX_CONNECTIONS,
        DEFAULT_POW_DIFFICULTY,
        DEFAULT_MAX_PEERS_PER_SUBNET);
  }
}
