package voidphone.gossip.identity;

/** PEM text that holds no usable RSA private key; the message is the problem, without a file name. */
final class InvalidPemException extends Exception {
  private static final long serialVersionUID = 1L;

  InvalidPemException(String problem) {
    super(problem);
  }
}
