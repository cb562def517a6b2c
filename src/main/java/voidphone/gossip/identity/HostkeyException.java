package voidphone.gossip.identity;

/**
 * A hostkey file that cannot be used. The message is one line that names the file and the problem,
 * fit to show an operator as is.
 */
public final class HostkeyException extends Exception {
  private static final long serialVersionUID = 1L;

  public HostkeyException(String message) {
    super(message);
  }
}
