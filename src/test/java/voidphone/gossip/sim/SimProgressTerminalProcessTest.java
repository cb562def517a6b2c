package voidphone.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import voidphone.gossip.cli.Main;

/**
 * {@code gossip sim} on a terminal: its progress is one status line that rewrites itself, not a
 * scrolling log. The terminal is a pseudo-terminal from util-linux's {@code script}; without it
 * the test is skipped.
 */
class SimProgressTerminalProcessTest {
  @Test
  void onATerminalProgressRewritesOneLineAndEndsItBeforeTheReport() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "no /usr/bin/script to make a terminal");
    String java = ProcessHandle.current().info().command().orElseThrow();
    String sim = java + " -XX:+UseSerialGC " + Main.class.getName()
        + " sim --nodes 1000 --degree 5 --seed 3 --duration 5000 --heal-limit-ms 10000 --progress-ms 20";
    ProcessBuilder builder = new ProcessBuilder("/usr/bin/script", "-qec", sim, "/dev/null").redirectErrorStream(true);
    builder.environment().put("CLASSPATH", System.getProperty("java.class.path")); // no quoting in -c
    Process p = builder.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).as("the status line is rewritten in place").contains("\rsim: running for ").contains("\u001b[K");
    assertThat(out).as("no scrolling progress lines").doesNotContainPattern("(?md)^sim: running for");
    assertThat(out).as("the report starts on a line of its own").containsPattern("\u001b\\[K\r?\n");
  }
}
