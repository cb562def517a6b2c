package voidphone.gossip.core.membership;

import java.util.Arrays;
import java.util.Locale;
import voidphone.gossip.core.PeerAddress;

/**
 * The anti-eclipse address group of an advertised address: peers in one group are likely under
 * one operator's control, so a view holds only a few of them. IPv4 addresses group by /24, IPv6 by
 * /64 (an IPv4-mapped IPv6 address counts as IPv4), host names by the name itself.
 *
 * <p>Groups are ints so that a view can keep one per entry cheaply. An IPv4 /24 maps to a value of
 * its own; IPv6 prefixes and names are hashed, and a rare hash collision only makes the bound a
 * little stricter for the two groups involved, never looser. No lookup happens here: host names
 * are not resolved, literals are parsed by hand.
 */
final class AddressGroup {
  /** Not counted against any bound: loopback addresses. */
  static final int EXEMPT = 0;

  private static final long NOT_AN_ADDRESS = -1;
  private static final int IPV4_TAG = 1 << 24;

  private AddressGroup() {}

  static int of(PeerAddress address) {
    String host = address.host();
    long v4 = parseIpv4(host, 0, host.length());
    if (v4 != NOT_AN_ADDRESS) {
      return ipv4Group((int) v4);
    }
    if (host.indexOf(':') >= 0) {
      long[] words = parseIpv6(host);
      if (words == null) {
        return named(host);
      }
      long high = words[0];
      long low = words[1];
      if (high == 0 && low == 1) {
        return EXEMPT; // ::1
      }
      if (high == 0 && (low >>> 32) == 0xFFFFL) {
        return ipv4Group((int) low); // ::ffff:a.b.c.d
      }
      return nonExempt(Long.hashCode(high * 0x9E3779B97F4A7C15L));
    }
    if (host.equalsIgnoreCase("localhost")) {
      return EXEMPT;
    }
    return named(host);
  }

  private static int ipv4Group(int address) {
    if ((address >>> 24) == 127) {
      return EXEMPT;
    }
    return IPV4_TAG | (address >>> 8);
  }

  private static int named(String host) {
    return nonExempt(host.toLowerCase(Locale.ROOT).hashCode() * 0x9E3779B1);
  }

  private static int nonExempt(int hash) {
    return hash == EXEMPT ? 1 : hash;
  }

  /** Dotted-quad IPv4 in {@code s[from, to)} as an unsigned 32-bit value, or -1 if it is not. */
  static long parseIpv4(String s, int from, int to) {
    long result = 0;
    int i = from;
    for (int octet = 0; octet < 4; octet++) {
      if (octet > 0) {
        if (i >= to || s.charAt(i) != '.') {
          return NOT_AN_ADDRESS;
        }
        i++;
      }
      int start = i;
      int value = 0;
      while (i < to && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        value = value * 10 + (s.charAt(i) - '0');
        i++;
      }
      int digits = i - start;
      // a leading zero is refused: some parsers read it as octal, so its meaning is unclear
      if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
        return NOT_AN_ADDRESS;
      }
      result = (result << 8) | value;
    }
    return i == to ? result : NOT_AN_ADDRESS;
  }

  /**
   * An IPv6 literal (optionally with a {@code %zone} suffix and an embedded IPv4 tail) as its high
   * and low 64 bits, or null if it is not one.
   */
  static long[] parseIpv6(String s) {
    int end = s.indexOf('%');
    if (end < 0) {
      end = s.length();
    }
    int[] groups = new int[8];
    int count = 0;
    int gap = -1;
    int i = 0;
    if (s.startsWith("::")) {
      gap = 0;
      i = 2;
    }
    while (i < end) {
      int start = i;
      int value = 0;
      while (i < end && i - start < 4 && Character.digit(s.charAt(i), 16) >= 0) {
        value = (value << 4) | Character.digit(s.charAt(i), 16);
        i++;
      }
      if (i < end && s.charAt(i) == '.') {
        long v4 = parseIpv4(s, start, end); // an embedded IPv4 address ends the literal
        if (v4 == NOT_AN_ADDRESS || count > 6) {
          return null;
        }
        groups[count++] = (int) (v4 >>> 16);
        groups[count++] = (int) (v4 & 0xFFFF);
        i = end;
        break;
      }
      if (i == start || count == 8) {
        return null;
      }
      groups[count++] = value;
      if (i == end) {
        break;
      }
      if (s.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < end && s.charAt(i) == ':') {
        if (gap >= 0) {
          return null;
        }
        gap = count;
        i++;
      } else if (i == end) {
        return null; // a single trailing colon
      }
    }
    if (gap >= 0) {
      if (count == 8) {
        return null;
      }
      int moved = count - gap;
      System.arraycopy(groups, gap, groups, 8 - moved, moved);
      Arrays.fill(groups, gap, 8 - moved, 0);
    } else if (count != 8) {
      return null;
    }
    long high = 0;
    long low = 0;
    for (int g = 0; g < 4; g++) {
      high = (high << 16) | groups[g];
      low = (low << 16) | groups[g + 4];
    }
    return new long[] {high, low};
  }
}
