package voidphone.gossip.cli;

import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import voidphone.gossip.client.GossipClient;
import voidphone.gossip.client.Verdict;
import voidphone.gossip.config.HostPort;

/** {@code gossip subscribe}: watch items of some types, and vote on each. */
@Command(name = "subscribe",
    header = "Subscribe to data types; print and validate each notification.",
    description = "Sends GOSSIP NOTIFY for each type, then prints each NOTIFICATION as one line "
        + "'id=<message id> type=<data type> text=<UTF-8>' (or 'hex=<bytes>' when not printable) "
        + "and answers it with a GOSSIP VALIDATION: valid, or invalid with --reject.")
final class SubscribeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Option(names = "--api", required = true, paramLabel = "HOST:PORT", converter = HostPortConverter.class,
      description = "The peer's api_address.")
  HostPort api;

  @Option(names = "--type", required = true, paramLabel = "T", description = "Data type to subscribe to, 0..65535; repeatable.")
  List<Integer> types;

  @Option(names = "--reject", description = "Answer every notification with 'invalid' (the item is not forwarded).")
  boolean reject;

  @Option(names = "--count", paramLabel = "N", description = "Exit after N notifications (default: run until closed).")
  Integer count;

  @Override
  public Integer call() {
    for (int type : types) {
      require(type >= 0 && type <= 0xFFFF, "--type " + type + " is outside 0..65535");
    }
    require(count == null || count >= 1, "--count " + count + " must be at least 1");
    PrintWriter out = spec.commandLine().getOut();
    // completes after the --count-th notification, or with the reason the connection was lost
    CompletableFuture<Void> ended = new CompletableFuture<>();
    AtomicInteger received = new AtomicInteger();
    try (GossipClient client = ApiConnection.open(api, (state, cause) -> {
      if (cause != null) ended.completeExceptionally(cause);
    })) {
      for (int type : new LinkedHashSet<>(types)) {
        // handlers run one at a time on the client's reader thread, so the count needs no more care
        client.subscribeAsync(type, notification -> {
          if (count != null && received.get() >= count) {
            return new CompletableFuture<>(); // past --count: left unanswered, as a process that exited would
          }
          out.println("id=" + notification.messageId() + " type=" + notification.dataType() + " "
              + DataText.show(notification.data()));
          out.flush(); // scripts read line by line while we keep running
          if (count != null && received.incrementAndGet() == count) {
            ended.complete(null); // close() below still sends this verdict: it lets the handler finish
          }
          return CompletableFuture.completedFuture(Verdict.of(!reject));
        });
      }
      ended.get();
    } catch (ExecutionException e) {
      throw CliFailure.runtime(e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliFailure.runtime("gossip API at " + api + ": interrupted");
    }
    return Main.EXIT_OK;
  }

  private void require(boolean condition, String problem) {
    if (!condition) {
      throw new ParameterException(spec.commandLine(), problem);
    }
  }
}
