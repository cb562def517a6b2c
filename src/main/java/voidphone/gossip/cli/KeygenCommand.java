package voidphone.gossip.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import voidphone.gossip.config.ConfigLoader;
import voidphone.gossip.config.GossipConfig;
import voidphone.gossip.config.IoErrors;
import voidphone.gossip.identity.Hostkey;
import voidphone.gossip.identity.HostkeyFile;
import voidphone.gossip.identity.PowFile;

/** {@code gossip keygen FILE}: a new identity. */
@Command(name = "keygen",
    header = "Create a new hostkey and its proof of work; print its identity.",
    description = "Writes a new RSA-4096 hostkey (PKCS#8 PEM, mode 600) and its proof of work (FILE.pow), "
        + "then prints the new identity (hex). Never overwrites an existing file.")
final class KeygenCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(KeygenCommand.class);

  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Option(names = "--pow-difficulty", paramLabel = "BITS",
      description = "Proof-of-work difficulty to solve right away (0..32, default ${DEFAULT-VALUE}); "
          + "match the config's pow_difficulty.")
  int powDifficulty = GossipConfig.DEFAULT_POW_DIFFICULTY;

  @Parameters(paramLabel = "FILE", description = "Where to write the new key.")
  Path file;

  @Override
  public Integer call() {
    if (powDifficulty < 0 || powDifficulty > ConfigLoader.MAX_POW_DIFFICULTY) {
      throw new ParameterException(spec.commandLine(),
          "--pow-difficulty " + powDifficulty + " is outside 0.." + ConfigLoader.MAX_POW_DIFFICULTY);
    }
    // Checked before the slow key generation; write() below still refuses if the file appears meanwhile.
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw refuse();
    }
    // A missing directory would otherwise be found only after seconds of key generation.
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      Path shown = file.getParent() != null ? file.getParent() : parent;
      throw CliFailure.runtime(file + ": cannot write hostkey: directory " + shown
          + (Files.exists(parent) ? " is not a directory" : " does not exist") + " (create it first)");
    }
    log.info("generating a {}-bit RSA key for {}", HostkeyFile.KEY_BITS, file);
    Hostkey hostkey = HostkeyFile.fromKeyPair(HostkeyFile.generate());
    try {
      HostkeyFile.write(file, hostkey.keyPair());
    } catch (FileAlreadyExistsException e) {
      throw refuse();
    } catch (IOException e) {
      throw CliFailure.runtime(file + ": cannot write hostkey: " + IoErrors.describe(e));
    }
    PowFile.ensure(file, hostkey.id(), powDifficulty);
    spec.commandLine().getOut().println(hostkey.id().hex());
    spec.commandLine().getOut().flush();
    return Main.EXIT_OK;
  }

  private CliFailure refuse() {
    return CliFailure.runtime(file + ": already exists; refusing to overwrite a hostkey (an identity is lost with it)");
  }
}
