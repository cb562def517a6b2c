package voidphone.gossip.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.tree.ImmutableNode;

/**
 * One section of the INI file with the typed, bounded reads the loader needs. Every failure is a
 * {@link ConfigException} that names the file, the section, the key and the problem.
 */
final class IniSection {
  /** Values quoted in error messages are cut here: the message must stay one readable line. */
  private static final int MAX_QUOTED = 80;

  private final String file;
  private final String label;
  private final HierarchicalConfiguration<ImmutableNode> keys;

  /**
   * @param name the section name, or null for the keys before the first section
   */
  IniSection(String file, String name, HierarchicalConfiguration<ImmutableNode> keys) {
    this.file = file;
    this.label = name == null ? "" : "[" + name + "] ";
    this.keys = keys;
  }

  /** The stripped value of {@code key}; empty if the key is absent or has an empty value. */
  Optional<String> value(String key) throws ConfigException {
    List<Object> values = keys.getList(key);
    if (values.size() > 1) {
      throw error(key, "given " + values.size() + " times; give it once");
    }
    if (values.isEmpty()) {
      return Optional.empty();
    }
    String value = String.valueOf(values.get(0)).strip();
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  String required(String key) throws ConfigException {
    return value(key).orElseThrow(() -> error(key, "missing (required)"));
  }

  /** A decimal integer in {@code min..max}, or {@code fallback} when the key is absent or empty. */
  int integer(String key, int min, int max, int fallback) throws ConfigException {
    Optional<String> value = value(key);
    if (value.isEmpty()) {
      return fallback;
    }
    String text = value.get();
    if (!text.matches("-?[0-9]+")) {
      throw error(key, quote(text) + " is not a number");
    }
    // Longer than any int: out of range rather than a NumberFormatException.
    long number = text.length() > 12 ? Long.MAX_VALUE : Long.parseLong(text);
    if (number < min || number > max) {
      throw error(key, quote(text) + " is outside " + min + ".." + max);
    }
    return (int) number;
  }

  Optional<HostPort> address(String key) throws ConfigException {
    Optional<String> value = value(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(parseAddress(key, value.get()));
  }

  HostPort requiredAddress(String key) throws ConfigException {
    return parseAddress(key, required(key));
  }

  /** A comma-separated list of addresses; empty when the key is absent. */
  List<HostPort> addresses(String key, int maxCount) throws ConfigException {
    Optional<String> value = value(key);
    List<HostPort> result = new ArrayList<>();
    if (value.isEmpty()) {
      return result;
    }
    String[] entries = value.get().split(",", -1);
    if (entries.length > maxCount) {
      throw error(key, "lists " + entries.length + " addresses; at most " + maxCount + " are allowed");
    }
    for (String entry : entries) {
      if (entry.isBlank()) {
        throw error(key, quote(value.get()) + " has an empty entry between commas");
      }
      result.add(parseAddress(key, entry.strip()));
    }
    return result;
  }

  private HostPort parseAddress(String key, String text) throws ConfigException {
    try {
      return HostPort.parse(text);
    } catch (IllegalArgumentException e) {
      throw error(key, IoErrors.oneLine(e.getMessage()));
    }
  }

  /** Every key of the section, as written in the file. */
  List<String> keyNames() {
    List<String> names = new ArrayList<>();
    // The expression engine escapes a dot in a key name by doubling it; operators wrote one dot.
    keys.getKeys().forEachRemaining(k -> names.add(k.replace("..", ".")));
    return names;
  }

  ConfigException error(String key, String problem) {
    return new ConfigException(file + ": " + label + key + ": " + problem);
  }

  /** {@code "value"}, shortened and with line breaks shown as {@code \n}, for a one-line message. */
  static String quote(String value) {
    String shown = value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) + "..." : value;
    return "\"" + shown.replace("\r", "\\r").replace("\n", "\\n") + "\"";
  }
}
