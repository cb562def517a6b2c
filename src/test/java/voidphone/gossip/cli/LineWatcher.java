package voidphone.gossip.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Reads a child process's output line by line on its own thread, so a test can wait for a line with
 * a deadline instead of blocking on a pipe that may never deliver it.
 */
final class LineWatcher {
  private static final String END = new String("end of stream"); // compared by identity

  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  LineWatcher(InputStream stream) {
    Thread.ofVirtual().start(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the stream ends with the process; END below tells the waiting test
      }
      lines.add(END);
    });
  }

  /** The first line (not yet consumed) that {@code pattern} finds; fails at the deadline or stream end. */
  String await(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null || line == END) {
        if (line == END) {
          lines.add(END); // keep the end visible to later calls
        }
        throw new AssertionError("no line matching " + pattern + (line == null ? " within " + timeout : " before the end")
            + "; lines so far:\n" + String.join("\n", seen));
      }
      seen.add(line);
      if (pattern.matcher(line).find()) {
        return line;
      }
    }
  }

  @Override
  public String toString() {
    return String.join("\n", seen);
  }
}
