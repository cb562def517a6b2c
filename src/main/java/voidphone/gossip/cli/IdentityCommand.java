package voidphone.gossip.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import voidphone.gossip.identity.HostkeyException;
import voidphone.gossip.identity.HostkeyFile;

/** {@code gossip identity FILE}: who a key is. */
@Command(name = "identity",
    description = "Print the identity (hex SHA-256 of the public key) of a PEM RSA private key (PKCS#1 or PKCS#8).")
final class IdentityCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Parameters(paramLabel = "FILE", description = "The hostkey file.")
  Path file;

  @Override
  public Integer call() {
    try {
      spec.commandLine().getOut().println(HostkeyFile.load(file).id().hex());
    } catch (HostkeyException e) {
      throw CliFailure.config(e.getMessage()); // a hostkey to fix: exit 2, as for gossip run
    }
    spec.commandLine().getOut().flush();
    return Main.EXIT_OK;
  }
}
