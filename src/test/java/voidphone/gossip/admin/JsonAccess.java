package voidphone.gossip.admin;

/**
 * Hands the package-private {@link Json} to the benchmarks in {@code voidphone.gossip.bench}
 * ({@code ./bench compare} reads and writes its result lines with it), so that main code need not
 * widen its visibility for them.
 */
public final class JsonAccess {
  private JsonAccess() {}

  /** As {@link Json#parse}: ordered maps, lists, strings, Long or Double, booleans and null. */
  public static Object parse(String text) {
    return Json.parse(text);
  }

  /** As {@link Json#write}: compact JSON. */
  public static String write(Object value) {
    return Json.write(value);
  }
}
