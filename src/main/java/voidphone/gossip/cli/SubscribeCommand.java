package voidphone.gossip.cli;

import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import voidphone.gossip.api.ApiMessage;
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
    try (ApiClient client = ApiClient.connect(api)) {
      for (int type : new LinkedHashSet<>(types)) {
        client.send(new ApiMessage.Notify(type));
      }
      for (int received = 0; count == null || received < count; received++) {
        ApiMessage.Notification notification = client.receiveNotification();
        out.println("id=" + notification.messageId() + " type=" + notification.dataType() + " "
            + DataText.show(notification.data()));
        out.flush(); // scripts read line by line while we keep running
        client.send(new ApiMessage.Validation(notification.messageId(), !reject));
      }
    }
    return Main.EXIT_OK;
  }

  private void require(boolean condition, String problem) {
    if (!condition) {
      throw new ParameterException(spec.commandLine(), problem);
    }
  }
}
