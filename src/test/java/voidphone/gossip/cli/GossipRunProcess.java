package voidphone.gossip.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One real {@code gossip run -c CONFIG} process started from a test, optionally under a command
 * prefix (such as {@code ip netns exec NAME}, which execs the JVM in place, so that the process
 * here is the JVM itself). Its stdout and stderr go to a log file, never to a pipe: nothing can
 * block the node however much it logs, and the log is there to read after a failed run.
 */
public final class GossipRunProcess implements AutoCloseable {
  /**
   * Options for the node JVMs. C1 only: a dozen JVMs starting at once on two cores spend most of
   * their start in the JIT, and a test node's steady load (keepalives, a few items) needs no C2.
   */
  private static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1",
      "--enable-native-access=ALL-UNNAMED", "-DGOSSIP_TEST_LOG_LEVEL=INFO");
  private static final Pattern ADMIN = Pattern.compile("admin endpoint on http://(\\S+)/status");

  private final String name;
  private final Process process;
  private final Path log;

  private GossipRunProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code gossip run -c config} in the config's directory, logging at INFO to {@code log},
   * and returns at once (it does not wait for the node to come up).
   */
  public static GossipRunProcess start(String name, Path config, List<String> commandPrefix, Path log) throws IOException {
    ProcessBuilder builder = CliProcess.builder(config.getParent(), JVM_OPTIONS, Main.class.getName(),
        "run", "-c", config.getFileName().toString());
    List<String> command = new ArrayList<>(commandPrefix);
    command.addAll(builder.command());
    builder.command(command).redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
    Process process = builder.start();
    process.getOutputStream().close();
    return new GossipRunProcess(name, process, log);
  }

  public String name() {
    return name;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** What the node has logged so far. */
  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /**
   * The {@code host:port} of the admin endpoint, once the node has logged it (at most {@code
   * timeout}); fails if the process ends first.
   */
  public String awaitAdminAddress(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Matcher m = ADMIN.matcher(log());
      if (m.find()) return m.group(1);
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with status " + process.exitValue() + " before its admin endpoint was up:\n" + log());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(name + ": no admin endpoint logged within " + timeout + "; log:\n" + log());
      }
      Thread.sleep(50); // polling a file: there is nothing to block on
    }
  }

  /** SIGTERM, as an operator stops a node, then SIGKILL if it has not exited within a few seconds. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * {@code dir} emptied (what an earlier run left is deleted) and created: where a test keeps its
   * nodes' keys, configs and logs, to read after a failed run.
   */
  public static Path freshDirectory(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
      }
    }
    return Files.createDirectories(dir);
  }

  /** Stops every one of {@code nodes} at once (SIGTERM to all, then the waits), ignoring none. */
  public static void closeAll(List<GossipRunProcess> nodes) {
    for (GossipRunProcess node : nodes) node.process.destroy();
    for (GossipRunProcess node : nodes) node.close();
  }
}
