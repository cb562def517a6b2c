package voidphone.gossip.cli;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import voidphone.gossip.api.ApiMessage;
import voidphone.gossip.client.GossipClient;
import voidphone.gossip.config.HostPort;

/** {@code gossip announce}: spread one item through a running peer. */
@Command(name = "announce", description = "Send one GOSSIP ANNOUNCE to a peer's API, then close.")
final class AnnounceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Option(names = "--api", required = true, paramLabel = "HOST:PORT", converter = HostPortConverter.class,
      description = "The peer's api_address.")
  HostPort api;

  @Option(names = "--type", required = true, paramLabel = "T", description = "Data type, 0..65535.")
  int type;

  @Option(names = "--ttl", paramLabel = "N", description = "Hops the item may travel, 1..255; 0 = unlimited (default).")
  int ttl;

  @Option(names = "--hex", description = "DATA is hex (whitespace ignored) rather than UTF-8 text.")
  boolean hex;

  @Parameters(paramLabel = "DATA", description = "The item: 1..65527 bytes.")
  String data;

  @Override
  public Integer call() {
    require(type >= 0 && type <= 0xFFFF, "--type " + type + " is outside 0..65535");
    require(ttl >= 0 && ttl <= 0xFF, "--ttl " + ttl + " is outside 0..255");
    byte[] bytes = bytes();
    require(bytes.length >= 1 && bytes.length <= ApiMessage.MAX_DATA,
        "DATA has " + bytes.length + " bytes; an item has 1.." + ApiMessage.MAX_DATA);
    AtomicReference<Throwable> lost = new AtomicReference<>();
    try (GossipClient client = ApiConnection.open(api, (state, cause) -> {
      if (cause != null) lost.compareAndSet(null, cause);
    })) {
      client.announce(type, ttl, bytes);
      // the API has no reply: written to the socket (and closed with a FIN by close()) is all there is
      if (!client.flush(ApiConnection.SEND_TIMEOUT)) {
        Throwable why = lost.get();
        throw CliFailure.runtime(why != null ? why.getMessage()
            : "gossip API at " + api + ": cannot send within " + ApiConnection.SEND_TIMEOUT.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliFailure.runtime("gossip API at " + api + ": interrupted before the announce was sent");
    }
    return Main.EXIT_OK;
  }

  private byte[] bytes() {
    if (!hex) {
      return data.getBytes(StandardCharsets.UTF_8);
    }
    String digits = data.replaceAll("\\s+", "");
    try {
      return HexFormat.of().parseHex(digits);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(),
          "DATA is not hex (an even number of 0-9, a-f): " + e.getMessage());
    }
  }

  private void require(boolean condition, String problem) {
    if (!condition) {
      throw new ParameterException(spec.commandLine(), problem);
    }
  }
}
