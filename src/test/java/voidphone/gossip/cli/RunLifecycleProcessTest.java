package voidphone.gossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import voidphone.gossip.identity.KeyFixtures;

/** {@code gossip run} end to end: starts, serves its API, and stops cleanly with exit 0 on SIGTERM. */
class RunLifecycleProcessTest {
  private static final Pattern RUNNING = Pattern.compile("identity ([0-9a-f]{64}) running: api (\\S+):(\\d+),");

  @TempDir Path dir;

  @Test
  void runServesTheApiAndStopsWithExitZeroOnSigterm() throws Exception {
    Files.copy(KeyFixtures.path("pkcs8.pem"), dir.resolve("hostkey.pem"));
    Files.writeString(dir.resolve("gossip.ini"), """
        hostkey = hostkey.pem
        [gossip]
        p2p_address = 127.0.0.1:0
        api_address = 127.0.0.1:0
        pow_difficulty = 4
        """);
    Process process = CliProcess.builder(dir, List.of("-DGOSSIP_TEST_LOG_LEVEL=INFO"), Main.class.getName(),
        "run", "-c", "gossip.ini").start();
    LineWatcher stderr = new LineWatcher(process.getErrorStream());

    Matcher running = RUNNING.matcher(stderr.await(RUNNING, Duration.ofSeconds(CliProcess.TIMEOUT_SECONDS)));
    assertThat(running.find()).isTrue();
    assertThat(running.group(1)).isEqualTo(KeyFixtures.PKCS8_ID);
    try (Socket client = new Socket()) {
      client.connect(new InetSocketAddress(running.group(2), Integer.parseInt(running.group(3))), 5000);
    }

    process.toHandle().destroy(); // SIGTERM

    assertThat(process.waitFor(CliProcess.TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(stderr.toString()).isZero();
    assertThat(stderr.await(Pattern.compile("stopped$"), Duration.ofSeconds(5))).isNotEmpty();
  }
}
