package voidphone.gossip.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
  private static final String ADDRESSES = """
      p2p_address = 127.0.0.1:6001
      api_address = 127.0.0.1:7001
      """;

  @TempDir Path dir;
  private Path workingDir;
  private Path ini;
  private final List<String> warnings = new ArrayList<>();

  @BeforeEach
  void keyBesideConfig() throws IOException {
    Files.writeString(dir.resolve("hostkey.pem"), "the loader only checks that the key file exists");
    workingDir = Files.createDirectory(dir.resolve("cwd"));
    ini = dir.resolve("gossip.ini");
  }

  private GossipConfig load(String text) throws ConfigException {
    write(text);
    return ConfigLoader.load(ini, workingDir, warnings::add);
  }

  private void write(String text) {
    try {
      Files.writeString(ini, text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private ConfigException error(String text) {
    write(text);
    try {
      ConfigLoader.load(ini, workingDir, warnings::add);
    } catch (ConfigException e) {
      assertThat(e.getMessage()).doesNotContain("\n").startsWith(ini + ": ");
      return e;
    }
    throw new AssertionError("expected a ConfigException for:\n" + text);
  }

  @Test
  void specExampleLoadsWithItsValues() throws Exception {
    GossipConfig config = load("""
        hostkey = %s

        [gossip]
        cache_size = 50
        degree = 30
        bootstrapper = p2psec.example.org:6001
        p2p_address = 131.159.15.61:6001
        api_address = 127.0.0.1:7001

        [onion]
        hops = 2
        """.formatted(dir.resolve("hostkey.pem")));

    assertThat(config.hostkey()).isEqualTo(dir.resolve("hostkey.pem"));
    assertThat(config.cacheSize()).isEqualTo(50);
    assertThat(config.degree()).isEqualTo(30);
    assertThat(config.bootstrappers()).containsExactly(new HostPort("p2psec.example.org", 6001));
    assertThat(config.p2pAddress()).isEqualTo(new HostPort("131.159.15.61", 6001));
    assertThat(config.apiAddress()).isEqualTo(new HostPort("127.0.0.1", 7001));
    assertThat(config.source()).isEqualTo(ini);
    assertThat(warnings).isEmpty();
  }

  @Test
  void optionalKeysTakeTheirDocumentedDefaults() throws Exception {
    GossipConfig config = load("hostkey = hostkey.pem\n[gossip]\n" + ADDRESSES);

    assertThat(config.cacheSize()).isEqualTo(GossipConfig.DEFAULT_CACHE_SIZE);
    assertThat(config.degree()).isEqualTo(GossipConfig.DEFAULT_DEGREE);
    assertThat(config.bootstrappers()).isEmpty();
    assertThat(config.adminAddress()).isEmpty();
    assertThat(config.validationTimeout()).isEqualTo(GossipConfig.DEFAULT_VALIDATION_TIMEOUT);
    assertThat(config.apiSendBufferBytes()).isEqualTo(GossipConfig.DEFAULT_API_SEND_BUFFER_BYTES);
    assertThat(config.apiMaxConnections()).isEqualTo(GossipConfig.DEFAULT_API_MAX_CONNECTIONS);
    assertThat(config.powDifficulty()).isEqualTo(GossipConfig.DEFAULT_POW_DIFFICULTY);
    assertThat(config.maxPeersPerSubnet()).isEqualTo(GossipConfig.DEFAULT_MAX_PEERS_PER_SUBNET);
  }

  @Test
  void projectKeysAreRead() throws Exception {
    GossipConfig config = load("""
        hostkey = hostkey.pem
        [gossip]
        admin_address = 127.0.0.1:9100
        validation_timeout_ms = 2500
        api_send_buffer_bytes = 65536
        api_max_connections = 12
        pow_difficulty = 8
        max_peers_per_subnet = 2
        """ + ADDRESSES);

    assertThat(config.adminAddress()).contains(new HostPort("127.0.0.1", 9100));
    assertThat(config.validationTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(config.apiSendBufferBytes()).isEqualTo(65536);
    assertThat(config.apiMaxConnections()).isEqualTo(12);
    assertThat(config.powDifficulty()).isEqualTo(8);
    assertThat(config.maxPeersPerSubnet()).isEqualTo(2);
  }

  @Test
  void hostkeyBeforeAnySectionIsRead() throws Exception {
    assertThat(load("hostkey = hostkey.pem\n[gossip]\n" + ADDRESSES).hostkey())
        .isEqualTo(dir.resolve("hostkey.pem"));
  }

  @Test
  void hostkeyUnderGlobalIsRead() throws Exception {
    assertThat(load("[global]\nhostkey = hostkey.pem\n[gossip]\n" + ADDRESSES).hostkey())
        .isEqualTo(dir.resolve("hostkey.pem"));
  }

  @Test
  void hostkeyUnderGossipIsRead() throws Exception {
    assertThat(load("[gossip]\nhostkey = hostkey.pem\n" + ADDRESSES).hostkey())
        .isEqualTo(dir.resolve("hostkey.pem"));
  }

  @Test
  void hostkeyUnderGossipWinsOverGlobalAndTopLevel() throws Exception {
    Files.writeString(dir.resolve("gossip.pem"), "key");
    GossipConfig config = load("""
        hostkey = hostkey.pem
        [global]
        hostkey = hostkey.pem
        [gossip]
        hostkey = gossip.pem
        """ + ADDRESSES);

    assertThat(config.hostkey()).isEqualTo(dir.resolve("gossip.pem"));
  }

  @Test
  void commentsWithSemicolonOrHashAreIgnored() throws Exception {
    GossipConfig config = load("""
        ; a comment
        # another comment
        hostkey = hostkey.pem ; where the key is
        [gossip]
        # degree = 1
        ;degree = 2
        degree = 7 # the real one
        """ + ADDRESSES);

    assertThat(config.degree()).isEqualTo(7);
    assertThat(config.hostkey()).isEqualTo(dir.resolve("hostkey.pem"));
  }

  @Test
  void spacesAroundKeysAndValuesAreIgnored() throws Exception {
    GossipConfig config = load("""
           hostkey   =    hostkey.pem\t
        [gossip]
          degree=9
        cache_size    =    11   \s
        p2p_address=127.0.0.1:6001
           api_address =   [::1]:7001
        """);

    assertThat(config.degree()).isEqualTo(9);
    assertThat(config.cacheSize()).isEqualTo(11);
    assertThat(config.apiAddress()).isEqualTo(new HostPort("::1", 7001));
  }

  @Test
  void quotesAroundAValueAreRemoved() throws Exception {
    Files.writeString(dir.resolve("key;1.pem"), "key");
    GossipConfig config = load("hostkey = \"key;1.pem\"\n[gossip]\ndegree = '5'\n" + ADDRESSES);

    assertThat(config.hostkey()).isEqualTo(dir.resolve("key;1.pem"));
    assertThat(config.degree()).isEqualTo(5);
  }

  @Test
  void otherSectionsAreIgnoredEvenWhenTheyReuseGossipKeyNames() throws Exception {
    GossipConfig config = load("""
        hostkey = hostkey.pem
        [onion]
        degree = not a number
        api_address = nonsense
        [gossip]
        """ + ADDRESSES + """
        [dht]
        cache_size = -1
        """);

    assertThat(config.degree()).isEqualTo(GossipConfig.DEFAULT_DEGREE);
    assertThat(warnings).isEmpty();
  }

  @Test
  void emptyOptionalValueTakesTheDefault() throws Exception {
    GossipConfig config = load("hostkey = hostkey.pem\n[gossip]\ndegree =\nbootstrapper =\n" + ADDRESSES);

    assertThat(config.degree()).isEqualTo(GossipConfig.DEFAULT_DEGREE);
    assertThat(config.bootstrappers()).isEmpty();
  }

  @Test
  void bootstrapperAcceptsACommaSeparatedList() throws Exception {
    GossipConfig config = load("""
        hostkey = hostkey.pem
        [gossip]
        bootstrapper = 10.0.0.1:6001, [2001:db8::1]:6002 ,boot.example.org:6003
        """ + ADDRESSES);

    assertThat(config.bootstrappers()).containsExactly(
        new HostPort("10.0.0.1", 6001), new HostPort("2001:db8::1", 6002), new HostPort("boot.example.org", 6003));
  }

  @Test
  void bootstrapperListBeyondTheLimitIsAnError() {
    StringBuilder list = new StringBuilder("10.0.0.1:1");
    for (int i = 2; i <= ConfigLoader.MAX_BOOTSTRAPPERS + 1; i++) {
      list.append(",10.0.0.1:").append(i);
    }
    assertThat(error("hostkey = hostkey.pem\n[gossip]\nbootstrapper = " + list + "\n" + ADDRESSES))
        .hasMessage(ini + ": [gossip] bootstrapper: lists 65 addresses; at most 64 are allowed");
  }

  @Test
  void bootstrapperWithAnEmptyEntryIsAnError() {
    assertThat(error("hostkey = hostkey.pem\n[gossip]\nbootstrapper = a.example:1,,b.example:2\n" + ADDRESSES))
        .hasMessageStartingWith(ini + ": [gossip] bootstrapper: ")
        .hasMessageContaining("empty entry");
  }

  @Test
  void bootstrapperWithPortZeroIsAnError() {
    assertThat(error("hostkey = hostkey.pem\n[gossip]\nbootstrapper = 10.0.0.1:0\n" + ADDRESSES))
        .hasMessage(ini + ": [gossip] bootstrapper: \"10.0.0.1:0\" has port 0, which cannot be dialled");
  }

  @Test
  void listenAddressMayUsePortZero() throws Exception {
    GossipConfig config = load("hostkey = hostkey.pem\n[gossip]\np2p_address = 0.0.0.0:0\napi_address = localhost:0\n");

    assertThat(config.p2pAddress().port()).isZero();
    assertThat(config.apiAddress()).isEqualTo(new HostPort("localhost", 0));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"p2p_address", "api_address"})
  void missingRequiredAddressNamesFileSectionAndKey(String key) {
    String text = "hostkey = hostkey.pem\n[gossip]\n" + ADDRESSES.lines()
        .filter(l -> !l.startsWith(key)).reduce("", (a, l) -> a + l + "\n");
    assertThat(error(text)).hasMessage(ini + ": [gossip] " + key + ": missing (required)");
  }

  @Test
  void apiAddressEqualToP2pAddressNamesFileKeyAndClash() {
    assertThat(error("hostkey = hostkey.pem\n[gossip]\np2p_address = 127.0.0.1:6001\napi_address = 127.0.0.1:6001\n"))
        .hasMessage(ini + ": [gossip] api_address: 127.0.0.1:6001 is also the p2p_address; each needs a port of its own");
  }

  @Test
  void adminAddressEqualToApiAddressNamesFileKeyAndClash() {
    assertThat(error("hostkey = hostkey.pem\n[gossip]\n" + ADDRESSES + "admin_address = 127.0.0.1:7001\n"))
        .hasMessage(ini + ": [gossip] admin_address: 127.0.0.1:7001 is also the api_address; each needs a port of its own");
  }

  @Test
  void apiAndP2pAddressMayBothBePortZero() throws Exception {
    GossipConfig config = load("hostkey = hostkey.pem\n[gossip]\np2p_address = 127.0.0.1:0\napi_address = 127.0.0.1:0\n");

    assertThat(config.apiAddress()).isEqualTo(config.p2pAddress());
  }

  @Test
  void missingHostkeyNamesFileAndKey() {
    assertThat(error("[gossip]\n" + ADDRESSES)).hasMessageStartingWith(ini + ": hostkey: missing (required");
  }

  @Test
  void missingGossipSectionReportsTheFirstRequiredKey() {
    assertThat(error("hostkey = hostkey.pem\n[onion]\nhops = 2\n"))
        .hasMessage(ini + ": [gossip] p2p_address: missing (required)");
  }

  @Test
  void nonNumericValueNamesFileKeyAndValue() {
    assertThat(error("hostkey = hostkey.pem\n[gossip]\ndegree = abc\n" + ADDRESSES))
        .hasMessage(ini + ": [gossip] degree: \"abc\" is not a number");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(textBlock = """
      cache_size, 0, 1..1000000
      cache_size, 1000001, 1..1000000
      degree, 0, 1..1024
      degree, 1025, 1..1024
      degree, -3, 1..1024
      degree, 99999999999999999999, 1..1024
      api_send_buffer_bytes, 65535, 65536..1073741824
      api_send_buffer_bytes, 1073741825, 65536..1073741824
      api_max_connections, 0, 1..1000000
      api_max_connections, 1000001, 1..1000000
      validation_timeout_ms, 0, 1..3600000
      validation_timeout_ms, 3600001, 1..3600000
      pow_difficulty, -1, 0..32
      pow_difficulty, 33, 0..32
      max_peers_per_subnet, -1, 0..6144
      max_peers_per_subnet, 6145, 0..6144
      """)
  void numberOutsideItsRangeIsAnErrorNamingTheRange(String key, String value, String range) {
    assertThat(error("hostkey = hostkey.pem\n[gossip]\n" + key + " = " + value + "\n" + ADDRESSES))
        .hasMessage(ini + ": [gossip] " + key + ": \"" + value + "\" is outside " + range);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(textBlock = """
      cache_size, 1
      cache_size, 1000000
      degree, 1
      degree, 1024
      api_send_buffer_bytes, 65536
      api_send_buffer_bytes, 1073741824
      api_max_connections, 1
      api_max_connections, 1000000
      validation_timeout_ms, 1
      validation_timeout_ms, 3600000
      pow_difficulty, 0
      pow_difficulty, 32
      max_peers_per_subnet, 0
      max_peers_per_subnet, 6144
      """)
  void numberAtTheEdgeOfItsRangeIsAccepted(String key, String value) throws Exception {
    load("hostkey = hostkey.pem\n[gossip]\n" + key + " = " + value + "\n" + ADDRESSES);
    assertThat(warnings).isEmpty();
  }

  @Test
  void malformedAddressNamesFileKeyAndProblem() {
    assertThat(error("hostkey = hostkey.pem\n[gossip]\np2p_address = localhost\napi_address = 127.0.0.1:7001\n"))
        .hasMessage(ini + ": [gossip] p2p_address: \"localhost\" is not host:port (the port is missing)");
  }

  @Test
  void keyGivenTwiceIsAnError() {
    assertThat(error("hostkey = hostkey.pem\n[gossip]\ndegree = 3\ndegree = 4\n" + ADDRESSES))
        .hasMessage(ini + ": [gossip] degree: given 2 times; give it once");
  }

  @Test
  void valueContinuedOverLinesStillGivesAOneLineError() {
    assertThat(error("hostkey = hostkey.pem\n[gossip]\ndegree = 3 \\\n 4\n" + ADDRESSES))
        .hasMessage(ini + ": [gossip] degree: \"3\\n4\" is not a number");
  }

  @Test
  void unknownKeyInGossipWarnsOnceNamingFileAndKey() throws Exception {
    load("hostkey = hostkey.pem\n[gossip]\ndegre = 3\n" + ADDRESSES);

    assertThat(warnings).containsExactly(ini + ": [gossip] degre: unknown key, ignored (a typo?)");
  }

  @Test
  void unknownKeysOutsideGossipAreNotWarnedAbout() throws Exception {
    load("hostkey = hostkey.pem\nlog_level = 3\n[global]\nfoo = 1\n[onion]\nhops = 2\n[gossip]\n" + ADDRESSES);

    assertThat(warnings).isEmpty();
  }

  @Test
  void missingFileIsAnErrorNamingTheFile() {
    Path absent = dir.resolve("absent.ini");
    assertThatThrownBy(() -> ConfigLoader.load(absent, workingDir, warnings::add))
        .isInstanceOf(ConfigException.class)
        .hasMessage(absent + ": cannot read file: No such file or directory");
  }

  @Test
  void directoryInsteadOfAFileIsAnError() {
    assertThatThrownBy(() -> ConfigLoader.load(dir, workingDir, warnings::add))
        .isInstanceOf(ConfigException.class)
        .hasMessage(dir + ": cannot read file: Is a directory");
  }

  @Test
  void fileBeyondTheSizeLimitIsRejectedUnread() {
    String padding = ("; " + "x".repeat(1021) + "\n").repeat(1024);
    assertThat(error(padding + "hostkey = hostkey.pem\n[gossip]\n" + ADDRESSES))
        .hasMessage(ini + ": is larger than 1048576 bytes; not a config file");
  }

  @Test
  void relativeHostkeyIsResolvedBesideTheConfigFile() throws Exception {
    Files.writeString(workingDir.resolve("hostkey.pem"), "a different key");

    assertThat(load("hostkey = hostkey.pem\n[gossip]\n" + ADDRESSES).hostkey())
        .isEqualTo(dir.resolve("hostkey.pem"));
  }

  @Test
  void relativeHostkeyFallsBackToTheWorkingDirectory() throws Exception {
    Files.createDirectory(workingDir.resolve("keys"));
    Files.writeString(workingDir.resolve("keys/node.pem"), "key");

    assertThat(load("hostkey = keys/node.pem\n[gossip]\n" + ADDRESSES).hostkey())
        .isEqualTo(workingDir.resolve("keys/node.pem"));
  }

  @Test
  void absentHostkeyIsAnErrorWithAKeygenHint() {
    assertThat(error("hostkey = keys/node.pem\n[gossip]\n" + ADDRESSES))
        .hasMessage(ini + ": hostkey: \"keys/node.pem\" does not exist (looked for " + dir.resolve("keys/node.pem")
            + " and " + workingDir.resolve("keys/node.pem") + "); run 'gossip keygen "
            + dir.resolve("keys/node.pem") + "' to create one");
  }

  @Test
  void absentAbsoluteHostkeyNamesTheSectionItCameFrom() {
    Path absent = dir.resolve("nowhere.pem");
    assertThat(error("[gossip]\nhostkey = " + absent + "\n" + ADDRESSES))
        .hasMessage(ini + ": [gossip] hostkey: \"" + absent + "\" does not exist; run 'gossip keygen "
            + absent + "' to create one");
  }

  @Test
  void hostkeyThatIsADirectoryIsAnError() {
    assertThat(error("hostkey = cwd\n[gossip]\n" + ADDRESSES))
        .hasMessage(ini + ": hostkey: \"cwd\" is a directory, not a key file");
  }

  @Test
  void byteOrderMarkBeforeTheFirstKeyIsIgnored() throws Exception {
    assertThat(load("\uFEFFhostkey = hostkey.pem\n[gossip]\n" + ADDRESSES).hostkey())
        .isEqualTo(dir.resolve("hostkey.pem"));
  }

  @Test
  void adminAddressIsOptional() throws Exception {
    assertThat(load("hostkey = hostkey.pem\n[gossip]\n" + ADDRESSES).adminAddress()).isEqualTo(Optional.empty());
  }
}
