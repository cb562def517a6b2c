package voidphone.gossip.cli;

/** Entry point of the {@code gossip} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("gossip: not yet");
  }
}
