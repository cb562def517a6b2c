package voidphone.gossip.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import voidphone.gossip.config.HostPort;

/** {@code --api HOST:PORT} in the same forms as the config file: IPv4, [IPv6]:port, host name. */
final class HostPortConverter implements ITypeConverter<HostPort> {
  @Override
  public HostPort convert(String value) {
    try {
      return HostPort.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
