package voidphone.gossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import voidphone.gossip.api.ApiMessage;
import voidphone.gossip.api.ApiWire;

/** {@code gossip announce} and {@code gossip subscribe} against a scripted API server. */
class ApiCommandsProcessTest {
  private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

  @TempDir Path dir;

  @Test
  void announceSendsExactlyTheSpecExampleFrameAndCloses() throws Exception {
    try (FakeApiServer server = new FakeApiServer()) {
      var received = server.readToEnd();

      CliProcess.Result result = CliProcess.run(dir, "announce", "--api", server.address(), "--type", "1337", "--ttl", "4", "deadbeef");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(HEX.formatHex(received.get(CliProcess.TIMEOUT_SECONDS, TimeUnit.SECONDS)))
          .isEqualTo("00 10 01 f4 04 00 05 39 64 65 61 64 62 65 65 66");
    }
  }

  @Test
  void announceWithHexSendsTheDecodedBytesAndTtlZeroByDefault() throws Exception {
    try (FakeApiServer server = new FakeApiServer()) {
      var received = server.readToEnd();

      CliProcess.Result result = CliProcess.run(dir, "announce", "--api", server.address(), "--type", "7", "--hex", "00ff 10");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(HEX.formatHex(received.get(CliProcess.TIMEOUT_SECONDS, TimeUnit.SECONDS)))
          .isEqualTo("00 0b 01 f4 00 00 00 07 00 ff 10");
    }
  }

  @Test
  void announceToAClosedPortIsOneLineAndExit1() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort(); // free again once closed: nothing listens there
    }

    CliProcess.Result result = CliProcess.run(dir, "announce", "--api", "127.0.0.1:" + port, "--type", "1", "x");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.stderrLines()).containsExactly(
        "cannot connect to gossip API at 127.0.0.1:" + port + ": Connection refused");
  }

  @Test
  void subscribeNotifiesEachTypePrintsEachNotificationAndValidatesIt() throws Exception {
    try (FakeApiServer server = new FakeApiServer()) {
      Process process = CliProcess.builder(dir, Main.class.getName(),
          "subscribe", "--api", server.address(), "--type", "1337", "--type", "42", "--count", "2").start();

      assertThat(HEX.formatHex(server.read(16))).isEqualTo("00 08 01 f5 00 00 05 39 00 08 01 f5 00 00 00 2a");
      server.write(HEX.parseHex("00 10 01 f6 12 34 05 39 64 65 61 64 62 65 65 66"));
      BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      // The line comes before the process is done: subscribe flushes each one for scripts.
      assertThat(stdout.readLine()).isEqualTo("id=4660 type=1337 text=deadbeef");
      assertThat(HEX.formatHex(server.read(8))).isEqualTo("00 08 01 f7 12 34 00 01");
      server.write(ApiWire.encode(new ApiMessage.Notification(7, 42, new byte[] {0, 1, (byte) 0xfe})));
      assertThat(stdout.readLine()).isEqualTo("id=7 type=42 hex=0001fe");
      assertThat(HEX.formatHex(server.read(8))).isEqualTo("00 08 01 f7 00 07 00 01");

      CliProcess.Result result = CliProcess.finish(process);
      assertThat(result.exitCode()).as(result.toString()).isZero();
    }
  }

  @Test
  void subscribeWithRejectAnswersInvalid() throws Exception {
    try (FakeApiServer server = new FakeApiServer()) {
      Process process = CliProcess.builder(dir, Main.class.getName(),
          "subscribe", "--api", server.address(), "--type", "1337", "--reject", "--count", "1").start();

      server.read(8);
      server.write(HEX.parseHex("00 10 01 f6 12 34 05 39 64 65 61 64 62 65 65 66"));

      assertThat(HEX.formatHex(server.read(8))).isEqualTo("00 08 01 f7 12 34 00 00");
      CliProcess.Result result = CliProcess.finish(process);
      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.stdout()).isEqualTo("id=4660 type=1337 text=deadbeef\n");
    }
  }

  @Test
  void subscribeEndsWithOneLineAndExit1WhenTheNodeCloses() throws Exception {
    CliProcess.Result result;
    try (FakeApiServer server = new FakeApiServer()) {
      Process process = CliProcess.builder(dir, Main.class.getName(),
          "subscribe", "--api", server.address(), "--type", "5").start();
      server.read(8);
      server.disconnect();
      result = CliProcess.finish(process);
    }

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.stderrLines()).singleElement().asString().endsWith("closed the connection");
  }
}
