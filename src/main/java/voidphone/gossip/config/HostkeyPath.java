package voidphone.gossip.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where the {@code hostkey} value points. A relative path means "next to the config file" (so a
 * config directory can be moved as a whole); as a fallback for configs written with the working
 * directory in mind, a path that exists only relative to the working directory is used too.
 */
final class HostkeyPath {
  private HostkeyPath() {}

  static Path resolve(Path configFile, Path workingDir, String value, IniSection where) throws ConfigException {
    Path raw;
    try {
      raw = value.startsWith("~/")
          ? Path.of(System.getProperty("user.home")).resolve(value.substring(2))
          : Path.of(value);
    } catch (InvalidPathException e) {
      throw where.error(ConfigLoader.HOSTKEY, IniSection.quote(value) + " is not a valid path: " + e.getReason());
    }
    if (raw.isAbsolute()) {
      return requireFile(raw.normalize(), value, "", where);
    }
    Path besideConfig = configFile.toAbsolutePath().getParent().resolve(raw).normalize();
    if (Files.exists(besideConfig)) {
      return requireFile(besideConfig, value, "", where);
    }
    Path inWorkingDir = workingDir.resolve(raw).normalize();
    if (Files.exists(inWorkingDir)) {
      return requireFile(inWorkingDir, value, "", where);
    }
    String looked = besideConfig.equals(inWorkingDir)
        ? " (looked for " + besideConfig + ")"
        : " (looked for " + besideConfig + " and " + inWorkingDir + ")";
    return requireFile(besideConfig, value, looked, where);
  }

  private static Path requireFile(Path path, String value, String looked, IniSection where) throws ConfigException {
    if (!Files.exists(path)) {
      throw where.error(ConfigLoader.HOSTKEY, IniSection.quote(value) + " does not exist" + looked
          + "; run 'gossip keygen " + path + "' to create one");
    }
    if (Files.isDirectory(path)) {
      throw where.error(ConfigLoader.HOSTKEY, IniSection.quote(value) + " is a directory, not a key file");
    }
    return path;
  }
}
