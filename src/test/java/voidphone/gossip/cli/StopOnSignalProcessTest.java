package voidphone.gossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code gossip run} ends: SIGTERM closes the node and the process exits 0, not 143. */
class StopOnSignalProcessTest {
  @TempDir Path dir;

  @Test
  void sigtermClosesWhatRunsAndExitsZero() throws Exception {
    Process process = CliProcess.builder(dir, SignalTestMain.class.getName()).start();
    BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    assertThat(stdout.readLine()).isEqualTo("running");

    process.toHandle().destroy(); // SIGTERM; unlike Process.destroy() it leaves our pipes open

    CliProcess.Result result = CliProcess.finish(process);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).isEqualTo("closed\n");
  }
}
