package voidphone.gossip.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * A {@code host:port} from the config file: IPv4, {@code [IPv6]:port} or a host name. Port 0 is
 * allowed for listen addresses and means "any free port" (tests and {@code gossip testnet} use it).
 */
public record HostPort(String host, int port) {
  /** Longest DNS name (RFC 1035); also bounds what a config value can make us store. */
  static final int MAX_HOST_NAME = 253;

  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,5}");
  private static final Pattern DOTTED = Pattern.compile("[0-9.]+");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");

  public HostPort {
    if (host.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port < 0 || port > 0xFFFF) {
      throw new IllegalArgumentException("port " + port + " is outside 0..65535");
    }
  }

  /**
   * Parses {@code 1.2.3.4:5}, {@code [::1]:5} or {@code example.org:5}. IPv6 literals are kept
   * without their brackets. Nothing is resolved: host names are checked for form only.
   *
   * @throws IllegalArgumentException whose message quotes {@code text} and says what is wrong, e.g.
   *     {@code "localhost" is not host:port (the port is missing)}
   */
  public static HostPort parse(String text) {
    if (text.length() > MAX_HOST_NAME + 8) { // [name]:65535
      throw new IllegalArgumentException("\"" + text.substring(0, 40) + "...\" is too long for host:port");
    }
    String quoted = "\"" + text + "\"";
    String host;
    String port;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
        throw new IllegalArgumentException(quoted + " is not [IPv6 address]:port");
      }
      host = text.substring(1, close);
      port = text.substring(close + 2);
      if (!isIpv6Literal(host)) {
        throw new IllegalArgumentException(quoted + " has \"" + host + "\" in brackets, which is not an IPv6 address");
      }
    } else {
      int colon = text.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(quoted + " is not host:port (the port is missing)");
      }
      host = text.substring(0, colon);
      port = text.substring(colon + 1);
      if (host.indexOf(':') >= 0) {
        throw new IllegalArgumentException(quoted + " looks like an IPv6 address without brackets; write [address]:port");
      }
      if (host.isEmpty()) {
        throw new IllegalArgumentException(quoted + " is not host:port (the host is missing)");
      }
      if (!isIpv4OrHostName(host)) {
        throw new IllegalArgumentException(quoted + " has \"" + host + "\", which is neither an IP address nor a host name");
      }
    }
    if (!DIGITS.matcher(port).matches() || Integer.parseInt(port) > 0xFFFF) {
      throw new IllegalArgumentException(quoted + " has port \"" + port + "\", which is not a number in 0..65535");
    }
    return new HostPort(host, Integer.parseInt(port));
  }

  private static boolean isIpv6Literal(String host) {
    if (!IPV6_CHARS.matcher(host).matches() || host.indexOf(':') < 0) {
      return false; // checked first so that getByName below never starts a DNS lookup
    }
    try {
      InetAddress.getByName(host); // an IPv4-mapped literal comes back as Inet4Address: also fine
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean isIpv4OrHostName(String host) {
    if (DOTTED.matcher(host).matches()) {
      String[] octets = host.split("\\.", -1);
      if (octets.length != 4) {
        return false;
      }
      for (String octet : octets) {
        if (octet.isEmpty() || octet.length() > 3 || Integer.parseInt(octet) > 255) {
          return false;
        }
      }
      return true;
    }
    if (host.length() > MAX_HOST_NAME) {
      return false;
    }
    for (String label : host.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  /** {@code host:port}, with IPv6 literals in brackets. */
  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
