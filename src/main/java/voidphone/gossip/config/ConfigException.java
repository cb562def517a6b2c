package voidphone.gossip.config;

/**
 * A config file that cannot be used. The message is one line naming the file, the key and the
 * problem, e.g. {@code gossip.ini: [gossip] degree: "abc" is not a number}: it is shown to the
 * operator as is, without a stack trace.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
