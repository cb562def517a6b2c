package voidphone.gossip.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code gossip} command as a real process: the JDK running the tests, the test classpath and
 * {@link Main}. Exit codes, stdout and stderr are then exactly what an operator or script sees.
 */
final class CliProcess {
  static final long TIMEOUT_SECONDS = 60;

  record Result(int exitCode, String stdout, String stderr) {
    List<String> stderrLines() {
      return stderr.lines().toList();
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  private CliProcess() {}

  static ProcessBuilder builder(Path workingDir, String mainClass, String... args) {
    return builder(workingDir, List.of(), mainClass, args);
  }

  static ProcessBuilder builder(Path workingDir, List<String> jvmOptions, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.addAll(jvmOptions);
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    return new ProcessBuilder(command).directory(workingDir.toFile());
  }

  /** Runs {@code gossip args...} to completion, stdin closed. */
  static Result run(Path workingDir, String... args) throws IOException, InterruptedException {
    Process process = builder(workingDir, Main.class.getName(), args).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    process.getOutputStream().close();
    return finish(process);
  }

  /** Waits for {@code process} to end and collects what it wrote. */
  static Result finish(Process process) throws InterruptedException {
    // Drain both pipes on their own threads: a process blocked on a full pipe would never exit.
    CompletableFuture<String> stdout = drain(process.getInputStream());
    CompletableFuture<String> stderr = drain(process.getErrorStream());
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("gossip did not exit within " + TIMEOUT_SECONDS + " s");
    }
    return new Result(process.exitValue(), stdout.join(), stderr.join());
  }

  static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, runnable -> Thread.ofVirtual().start(runnable));
  }
}
