package voidphone.gossip.launcher;

/** What {@link LauncherScriptProcessTest}'s stand-in build puts into the jar: it only says it ran. */
public final class LauncherStubMain {
  private LauncherStubMain() {}

  public static void main(String[] args) {
    System.out.println("stub ran with " + String.join(" ", args));
  }
}
