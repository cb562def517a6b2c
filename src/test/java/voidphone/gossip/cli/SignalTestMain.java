package voidphone.gossip.cli;

/**
 * A long-running command in miniature, for {@link StopOnSignalProcessTest}: says "running", blocks
 * like {@code gossip run}, and says "closed" when the signal makes it close.
 */
final class SignalTestMain {
  private SignalTestMain() {}

  public static void main(String[] args) throws InterruptedException {
    StopOnSignal.closeOnSignal(() -> {
      System.out.println("closed");
      System.out.flush();
    });
    System.out.println("running");
    System.out.flush();
    StopOnSignal.blockForever();
  }
}
