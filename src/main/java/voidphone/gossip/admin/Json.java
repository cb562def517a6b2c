package voidphone.gossip.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for the live view to read other nodes' {@code /view} and write {@code /graph}:
 * objects (as ordered maps), arrays, strings, numbers (as Long or Double), booleans and null.
 * Strict and bounded (nesting depth 32); what it cannot read is refused with an
 * {@link IllegalArgumentException}, so a broken peer answer is just an unreachable peer.
 */
final class Json {
  private static final int MAX_DEPTH = 32;

  private final String s;
  private int i;

  private Json(String s) {
    this.s = s;
  }

  static Object parse(String text) {
    Json p = new Json(text);
    p.space();
    Object v = p.value(0);
    p.space();
    if (p.i != text.length()) throw p.error("trailing characters");
    return v;
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) throw error("nested too deep");
    if (i >= s.length()) throw error("unexpected end");
    char c = s.charAt(i);
    switch (c) {
      case '{' -> {
        i++;
        Map<String, Object> m = new LinkedHashMap<>();
        space();
        if (peek('}')) return m;
        do {
          space();
          if (i >= s.length() || s.charAt(i) != '"') throw error("expected a key");
          String key = string();
          space();
          expect(':');
          space();
          m.put(key, value(depth + 1));
          space();
        } while (comma());
        expect('}');
        return m;
      }
      case '[' -> {
        i++;
        List<Object> l = new ArrayList<>();
        space();
        if (peek(']')) return l;
        do {
          space();
          l.add(value(depth + 1));
          space();
        } while (comma());
        expect(']');
        return l;
      }
      case '"' -> {
        return string();
      }
      default -> {
        if (s.startsWith("true", i)) return literal(4, Boolean.TRUE);
        if (s.startsWith("false", i)) return literal(5, Boolean.FALSE);
        if (s.startsWith("null", i)) return literal(4, null);
        return number();
      }
    }
  }

  private Object literal(int length, Object v) {
    i += length;
    return v;
  }

  private Number number() {
    int start = i;
    if (i < s.length() && s.charAt(i) == '-') i++;
    boolean fraction = false;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        i++;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        fraction = true;
        i++;
      } else {
        break;
      }
    }
    String t = s.substring(start, i);
    if (t.isEmpty() || t.equals("-")) throw error("expected a value");
    try {
      if (fraction) return Double.parseDouble(t); // not ?: which would make every Long a Double
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw error("bad number " + t);
    }
  }

  private String string() {
    i++; // the opening quote
    StringBuilder b = new StringBuilder();
    while (true) {
      if (i >= s.length()) throw error("unterminated string");
      char c = s.charAt(i++);
      if (c == '"') return b.toString();
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (i >= s.length()) throw error("unterminated escape");
      char e = s.charAt(i++);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          if (i + 4 > s.length()) throw error("short \\u escape");
          try {
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          } catch (NumberFormatException x) {
            throw error("bad \\u escape");
          }
          i += 4;
        }
        default -> throw error("bad escape \\" + e);
      }
    }
  }

  private boolean peek(char c) {
    if (i < s.length() && s.charAt(i) == c) {
      i++;
      return true;
    }
    return false;
  }

  private boolean comma() {
    return peek(',');
  }

  private void expect(char c) {
    if (!peek(c)) throw error("expected '" + c + "'");
  }

  private void space() {
    while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("JSON at " + i + ": " + what);
  }

  /** Compact JSON of what {@link #parse} returns (and of Integer, and of any other Number). */
  static String write(Object v) {
    StringBuilder b = new StringBuilder();
    write(b, v);
    return b.toString();
  }

  static void write(StringBuilder b, Object v) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String str) {
      b.append(NodeStatus.quote(str));
    } else if (v instanceof Number || v instanceof Boolean) {
      b.append(v);
    } else if (v instanceof Map<?, ?> m) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) b.append(',');
        first = false;
        b.append(NodeStatus.quote(String.valueOf(e.getKey()))).append(':');
        write(b, e.getValue());
      }
      b.append('}');
    } else if (v instanceof List<?> l) {
      b.append('[');
      for (int k = 0; k < l.size(); k++) {
        if (k > 0) b.append(',');
        write(b, l.get(k));
      }
      b.append(']');
    } else {
      throw new IllegalArgumentException("not JSON: " + v.getClass());
    }
  }
}
