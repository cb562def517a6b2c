package voidphone.gossip.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import voidphone.gossip.core.broadcast.BroadcastConfig;
import voidphone.gossip.core.membership.MembershipConfig;

/**
 * Everything a node is configured with: the spec's keys (section 4 of {@code gossip-api.md}) and the
 * optional keys this project adds, each with the default an operator gets by leaving it out.
 * Immutable; built by the config loader from the peer's INI file, or from {@link #withDefaults}
 * by naming the keys that differ ({@link #with}).
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
 *     active view, and of the passive view, from one IPv4 /24, IPv6 /64 or host name as advertised,
 *     and most neighbours whose links come from one such group; loopback addresses are exempt (a
 *     testnet on one machine). 0 disables the bound. Default 4
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
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(hostkey, "hostkey");
    Objects.requireNonNull(p2pAddress, "p2pAddress");
    Objects.requireNonNull(apiAddress, "apiAddress");
    bootstrappers = List.copyOf(bootstrappers);
  }

  /**
   * The production profile: every optional key at the default an operator gets by leaving it out.
   * For {@code gossip testnet} and tests, which change what they need with {@link #with}.
   */
  public static GossipConfig withDefaults(Path hostkey, HostPort p2pAddress, HostPort apiAddress) {
    Builder b = new Builder();
    b.source = Path.of("(built-in)");
    b.hostkey = hostkey;
    b.p2pAddress = p2pAddress;
    b.apiAddress = apiAddress;
    return b.build();
  }

  /**
   * A copy with the changes {@code change} makes to its keys, by name, e.g. {@code
   * config.with(k -> k.degree = 4)}; checked like any config.
   */
  public GossipConfig with(Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The keys of a config by name, each at its default; {@link #build()} makes the record. */
  public static final class Builder {
    public Path source;
    public Path hostkey;
    public int cacheSize = DEFAULT_CACHE_SIZE;
    public int degree = DEFAULT_DEGREE;
    public List<HostPort> bootstrappers = List.of();
    public HostPort p2pAddress;
    public HostPort apiAddress;
    public Optional<HostPort> adminAddress = Optional.empty();
    public Duration validationTimeout = DEFAULT_VALIDATION_TIMEOUT;
    public int apiSendBufferBytes = DEFAULT_API_SEND_BUFFER_BYTES;
    public int apiMaxConnections = DEFAULT_API_MAX_CONNECTIONS;
    public int powDifficulty = DEFAULT_POW_DIFFICULTY;
    public int maxPeersPerSubnet = DEFAULT_MAX_PEERS_PER_SUBNET;

    public Builder() {}

    Builder(GossipConfig c) {
      source = c.source;
      hostkey = c.hostkey;
      cacheSize = c.cacheSize;
      degree = c.degree;
      bootstrappers = c.bootstrappers;
      p2pAddress = c.p2pAddress;
      apiAddress = c.apiAddress;
      adminAddress = c.adminAddress;
      validationTimeout = c.validationTimeout;
      apiSendBufferBytes = c.apiSendBufferBytes;
      apiMaxConnections = c.apiMaxConnections;
      powDifficulty = c.powDifficulty;
      maxPeersPerSubnet = c.maxPeersPerSubnet;
    }

    public GossipConfig build() {
      return new GossipConfig(source, hostkey, cacheSize, degree, bootstrappers, p2pAddress, apiAddress,
          adminAddress, validationTimeout, apiSendBufferBytes, apiMaxConnections, powDifficulty,
          maxPeersPerSubnet);
    }
  }
}
