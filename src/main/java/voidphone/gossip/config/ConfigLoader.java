package voidphone.gossip.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.commons.configuration2.INIConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voidphone.gossip.core.broadcast.BroadcastConfig;
import voidphone.gossip.core.membership.MembershipConfig;

/**
 * Reads the peer's INI file (spec section 4) into a {@link GossipConfig}. The rules, each documented
 * for operators in {@code docs/CONFIG.md}:
 *
 * <ul>
 *   <li>{@code hostkey} is read from {@code [gossip]}, else {@code [global]}, else the keys before
 *       any section: the most specific place wins. A relative path is resolved against the config
 *       file's directory; if nothing is there but the path exists relative to the working
 *       directory, that is used. A leading {@code ~/} means the user's home directory.
 *   <li>Every other key is read from {@code [gossip]}; other sections belong to other modules and
 *       are ignored. An unknown key in {@code [gossip]} is a warning (probably a typo).
 *   <li>Comments start with {@code ;} or {@code #}; spaces around keys and values are ignored; a
 *       value in double or single quotes has its quotes removed (so it may hold {@code ;} or
 *       {@code #}). A key given twice in one section is an error; an optional key with an empty
 *       value takes its default.
 * </ul>
 */
public final class ConfigLoader {
  private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);

  /** A shared config of a whole peer is a few KiB; anything near this is not a config file. */
  static final int MAX_FILE_BYTES = 1 << 20;

  static final int MAX_BOOTSTRAPPERS = 64;
  static final int MAX_CACHE_SIZE = BroadcastConfig.MAX_CACHE_SIZE;
  static final int MAX_DEGREE = MembershipConfig.MAX_ACTIVE_CAPACITY;
  static final int MIN_API_SEND_BUFFER = 64 << 10;
  static final int MAX_API_SEND_BUFFER = 1 << 30;
  static final int MAX_API_CONNECTIONS = 1_000_000;
  static final int MAX_VALIDATION_TIMEOUT_MS = 3_600_000;
  /** 2^32 hashes is about 15 minutes on one core today; more would lock honest operators out. */
  public static final int MAX_POW_DIFFICULTY = 32;

  static final String HOSTKEY = "hostkey";

  private static final Set<String> GOSSIP_KEYS = Set.of(
      HOSTKEY, "cache_size", "degree", "bootstrapper", "p2p_address", "api_address", "admin_address",
      "validation_timeout_ms", "api_send_buffer_bytes", "api_max_connections", "pow_difficulty",
      "max_peers_per_subnet");

  private ConfigLoader() {}

  /**
   * Loads {@code file}; unknown keys in {@code [gossip]} are logged as warnings.
   *
   * @throws ConfigException one line naming the file, the key and the problem
   */
  public static GossipConfig load(Path file) throws ConfigException {
    return load(file, Path.of("").toAbsolutePath(), log::warn);
  }

  static GossipConfig load(Path file, Path workingDir, Consumer<String> warnings) throws ConfigException {
    INIConfiguration ini = parse(file);
    String name = file.toString();
    IniSection top = new IniSection(name, null, ini.getSection(null));
    IniSection global = section(ini, name, "global");
    IniSection gossip = section(ini, name, "gossip");

    for (String key : gossip.keyNames()) {
      if (!GOSSIP_KEYS.contains(key)) {
        warnings.accept(name + ": [gossip] " + key + ": unknown key, ignored (a typo?)");
      }
    }
    Path hostkey = hostkey(file, workingDir, top, global, gossip);
    GossipConfig.Builder k = new GossipConfig.Builder();
    k.source = file;
    k.hostkey = hostkey;
    k.cacheSize = gossip.integer("cache_size", 1, MAX_CACHE_SIZE, GossipConfig.DEFAULT_CACHE_SIZE);
    k.degree = gossip.integer("degree", 1, MAX_DEGREE, GossipConfig.DEFAULT_DEGREE);
    k.bootstrappers = bootstrappers(gossip);
    k.p2pAddress = gossip.requiredAddress("p2p_address");
    k.apiAddress = gossip.requiredAddress("api_address");
    k.adminAddress = gossip.address("admin_address");
    requireDistinct(gossip, "api_address", k.apiAddress, "p2p_address", k.p2pAddress);
    if (k.adminAddress.isPresent()) {
      requireDistinct(gossip, "admin_address", k.adminAddress.get(), "p2p_address", k.p2pAddress);
      requireDistinct(gossip, "admin_address", k.adminAddress.get(), "api_address", k.apiAddress);
    }
    k.validationTimeout = Duration.ofMillis(gossip.integer("validation_timeout_ms", 1, MAX_VALIDATION_TIMEOUT_MS,
        (int) GossipConfig.DEFAULT_VALIDATION_TIMEOUT.toMillis()));
    k.apiSendBufferBytes = gossip.integer("api_send_buffer_bytes", MIN_API_SEND_BUFFER, MAX_API_SEND_BUFFER,
        GossipConfig.DEFAULT_API_SEND_BUFFER_BYTES);
    k.apiMaxConnections = gossip.integer("api_max_connections", 1, MAX_API_CONNECTIONS,
        GossipConfig.DEFAULT_API_MAX_CONNECTIONS);
    k.powDifficulty = gossip.integer("pow_difficulty", 0, MAX_POW_DIFFICULTY, GossipConfig.DEFAULT_POW_DIFFICULTY);
    k.maxPeersPerSubnet = gossip.integer("max_peers_per_subnet", 0, MAX_DEGREE * 6,
        GossipConfig.DEFAULT_MAX_PEERS_PER_SUBNET);
    return k.build();
  }

  /**
   * Two listeners on one address would fail at start with "address already in use", which hides
   * that the config names one port twice. Port 0 (any free port) is never a clash.
   */
  private static void requireDistinct(IniSection gossip, String key, HostPort address, String otherKey, HostPort other)
      throws ConfigException {
    if (address.port() != 0 && address.equals(other)) {
      throw gossip.error(key, address + " is also the " + otherKey + "; each needs a port of its own");
    }
  }

  private static INIConfiguration parse(Path file) throws ConfigException {
    if (Files.isDirectory(file)) {
      throw new ConfigException(file + ": cannot read file: Is a directory");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read file: " + IoErrors.describe(e));
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new ConfigException(file + ": is larger than " + MAX_FILE_BYTES + " bytes; not a config file");
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1); // byte order mark written by some Windows editors
    }
    INIConfiguration ini = new INIConfiguration();
    try {
      ini.read(new StringReader(text));
    } catch (ConfigurationException | IOException | RuntimeException e) {
      throw new ConfigException(file + ": not a valid INI file: " + IoErrors.oneLine(e.getMessage()));
    }
    return ini;
  }

  private static IniSection section(INIConfiguration ini, String file, String name) {
    // getSection of an absent section yields an empty one, which reads as "every key missing".
    return new IniSection(file, name, ini.getSection(name));
  }

  private static List<HostPort> bootstrappers(IniSection gossip) throws ConfigException {
    List<HostPort> addresses = gossip.addresses("bootstrapper", MAX_BOOTSTRAPPERS);
    for (HostPort address : addresses) {
      if (address.port() == 0) {
        throw gossip.error("bootstrapper", "\"" + address + "\" has port 0, which cannot be dialled");
      }
    }
    return addresses;
  }

  private static Path hostkey(Path file, Path workingDir, IniSection top, IniSection global, IniSection gossip)
      throws ConfigException {
    IniSection where = gossip;
    Optional<String> value = gossip.value(HOSTKEY);
    if (value.isEmpty()) {
      where = global;
      value = global.value(HOSTKEY);
    }
    if (value.isEmpty()) {
      where = top;
      value = top.value(HOSTKEY);
    }
    if (value.isEmpty()) {
      throw top.error(HOSTKEY, "missing (required; put it before any section, or in [gossip])");
    }
    return HostkeyPath.resolve(file, workingDir, value.get(), where);
  }
}
