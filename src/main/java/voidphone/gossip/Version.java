package voidphone.gossip;

/**
 * This build's version: the {@code Implementation-Version} of the jar's manifest (the Maven project
 * version, written by the shade plugin), or {@code "dev"} when the classes do not come from that jar
 * (an IDE, {@code target/classes}, the tests).
 */
public final class Version {
  private static final String VERSION = read();

  private Version() {}

  /** The version, never null. */
  public static String get() {
    return VERSION;
  }

  private static String read() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null || v.isBlank() ? "dev" : v;
  }
}
