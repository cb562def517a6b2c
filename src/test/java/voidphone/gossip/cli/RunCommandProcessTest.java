package voidphone.gossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import voidphone.gossip.identity.KeyFixtures;

/**
 * {@code gossip run} refuses a bad config or hostkey with one line on stderr and exit status 2, and
 * a port it cannot bind with one line naming the config key and exit status 1.
 */
class RunCommandProcessTest {
  @TempDir Path dir;
  private Path ini;

  @BeforeEach
  void setUp() throws Exception {
    Files.copy(KeyFixtures.path("pkcs8.pem"), dir.resolve("hostkey.pem"));
    ini = dir.resolve("gossip.ini");
  }

  private CliProcess.Result runWith(String config) throws Exception {
    Files.writeString(ini, config);
    return CliProcess.run(dir, "run", "-c", ini.toString());
  }

  private static void assertOneLineConfigError(CliProcess.Result result, String line) {
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.stderrLines()).as(result.toString()).containsExactly(line);
    assertThat(result.stdout()).isEmpty();
  }

  @Test
  void anAdminPortInUseIsOneLineNamingAdminAddressAndExit1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      CliProcess.Result result = runWith("""
          hostkey = hostkey.pem
          [gossip]
          p2p_address = 127.0.0.1:0
          api_address = 127.0.0.1:0
          pow_difficulty = 0
          admin_address = 127.0.0.1:%d
          """.formatted(port));

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
      List<String> lines = result.stderrLines();
      assertThat(lines.getLast()).as(result.toString())
          .isEqualTo(ini + ": cannot start: admin_address 127.0.0.1:" + port + ": cannot listen: the port is already in use");
      assertThat(result.stderr()).doesNotContain("bind(");
    }
  }

  @Test
  void missingConfigFileIsOneLineAndExit2() throws Exception {
    CliProcess.Result result = CliProcess.run(dir, "run", "--config", "absent.ini");

    assertOneLineConfigError(result, "absent.ini: cannot read file: No such file or directory");
  }

  @Test
  void nonNumericValueIsOneLineNamingFileKeyAndValue() throws Exception {
    CliProcess.Result result = runWith("""
        hostkey = hostkey.pem
        [gossip]
        degree = abc
        p2p_address = 127.0.0.1:0
        api_address = 127.0.0.1:0
        """);

    assertOneLineConfigError(result, ini + ": [gossip] degree: \"abc\" is not a number");
  }

  @Test
  void missingRequiredKeyIsOneLineNamingIt() throws Exception {
    CliProcess.Result result = runWith("hostkey = hostkey.pem\n[gossip]\np2p_address = 127.0.0.1:0\n");

    assertOneLineConfigError(result, ini + ": [gossip] api_address: missing (required)");
  }

  @Test
  void absentHostkeyIsOneLineWithAKeygenHint() throws Exception {
    CliProcess.Result result = runWith("""
        hostkey = /nonexistent/node.pem
        [gossip]
        p2p_address = 127.0.0.1:0
        api_address = 127.0.0.1:0
        """);

    assertOneLineConfigError(result, ini + ": hostkey: \"/nonexistent/node.pem\" does not exist; "
        + "run 'gossip keygen /nonexistent/node.pem' to create one");
  }

  @Test
  void garbledHostkeyIsOneLineNamingConfigKeyAndKeyFile() throws Exception {
    Files.writeString(dir.resolve("garbled.pem"), "-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----\n");

    CliProcess.Result result = runWith("""
        hostkey = garbled.pem
        [gossip]
        p2p_address = 127.0.0.1:0
        api_address = 127.0.0.1:0
        """);

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.stderrLines()).as(result.toString()).singleElement()
        .asString().startsWith(ini + ": hostkey: " + dir.resolve("garbled.pem") + ": is not a valid PEM key");
  }

  @Test
  void runWithoutAConfigIsAUsageError() throws Exception {
    CliProcess.Result result = CliProcess.run(dir, "run");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("Missing required option: '--config=FILE'");
  }
}
