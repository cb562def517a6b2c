package voidphone.gossip.netns;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A switched LAN of Linux network namespaces, made with {@code ip} and cut with {@code nft}: node
 * {@code i} lives in namespace {@code gsp-i} with address {@code 198.18.77.(i+1)/24} on its {@code
 * eth0}, a veth whose other end is a port of bridge {@code br0} in namespace {@code gsp-br}. The
 * root namespace (where the test runs) has {@code 198.18.77.254} on a port of the same bridge
 * ({@code gsp-host}), so it reaches every node's API and admin endpoint directly.
 *
 * <p>198.18.0.0/15 is the benchmarking range (RFC 2544): nothing else uses it, and only these
 * namespaces' addresses are ever dialled. A partition is one {@code bridge}-family table in {@code
 * gsp-br} that drops every IPv4 frame between the two sides, installed and deleted atomically (one
 * {@code nft} transaction each); traffic between the root namespace and any node is not touched.
 *
 * <p>Everything this class makes is named {@code gsp-*}. {@link #removeAll()} deletes all of it,
 * ending first the processes still inside those namespaces (left behind by an earlier run whose JVM
 * was killed), so that a leftover never breaks the next run. The names are fixed, so two runs at
 * once (two checkouts tested on one machine) would tear down each other's network: a topology
 * holds an exclusive lock on {@value #LOCK_FILE} from {@link #create} to {@link #removeAll}, and a
 * second run waits for it. The kernel drops the lock with the process, so whatever a holder of it
 * finds named {@code gsp-*} is a leftover.
 */
final class NetnsTopology {
  static final String PREFIX = "gsp-";
  static final String BRIDGE_NS = PREFIX + "br";
  static final String HOST_LINK = PREFIX + "host";
  static final String SUBNET = "198.18.77.";
  static final String HOST_ADDRESS = SUBNET + "254";
  private static final String CUT_TABLE = "gsp_partition";
  private static final long COMMAND_TIMEOUT_SECONDS = 30;
  static final String LOCK_FILE = "/tmp/voidphone-gossip-netns-test.lock";

  /** Thrown by {@link #create} when another run has held the lock for longer than the wait. */
  static final class Busy extends Exception {
    Busy(String message) {
      super(message);
    }
  }

  private final String ip;
  private final String nft;
  private final int nodes;

  private final FileChannel lockFile;
  private FileLock lock;

  private NetnsTopology(String ip, String nft, int nodes, FileChannel lockFile, FileLock lock) {
    this.ip = ip;
    this.nft = nft;
    this.nodes = nodes;
    this.lockFile = lockFile;
    this.lock = lock;
  }

  static String nodeNamespace(int node) {
    return PREFIX + node;
  }

  static String nodeAddress(int node) {
    return SUBNET + (node + 1);
  }

  /**
   * Why namespaces cannot be made here, or null if they can: the test needs root (it creates
   * namespaces and firewall rules), {@code ip} (iproute2) and {@code nft} (nftables), which {@code
   * scripts/install-test-deps.sh} installs when ./test runs as root, and a kernel that lets it make
   * a namespace (a container without CAP_SYS_ADMIN does not).
   */
  static String whyUnavailable() throws InterruptedException {
    if (!isRoot()) return "not root: creating network namespaces and nftables rules needs root (CI runs the suite as root)";
    List<String> missing = new ArrayList<>();
    if (tool("ip") == null) missing.add("ip (apt-get install iproute2)");
    if (tool("nft") == null) missing.add("nft (apt-get install nftables)");
    if (!missing.isEmpty()) {
      return "missing " + String.join(" and ", missing) + "; scripts/install-test-deps.sh installs them when run as root";
    }
    // Not gsp-*: a run holding the lock would take it for a leftover. Unique per JVM: no lock is held yet.
    String probe = "voidphone-probe-" + ProcessHandle.current().pid();
    try {
      run("", tool("ip"), "netns", "add", probe);
      run("", tool("ip"), "netns", "delete", probe);
    } catch (IOException e) {
      return "this kernel or container does not let root make a network namespace: " + e.getMessage();
    }
    return null;
  }

  /**
   * Takes the lock (waiting at most {@code lockWait} for another run to finish), removes whatever an
   * earlier run left, and builds the LAN for {@code nodes} namespaces.
   */
  static NetnsTopology create(int nodes, Duration lockWait) throws IOException, InterruptedException, Busy {
    FileChannel channel = FileChannel.open(Path.of(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = null;
    long deadline = System.nanoTime() + lockWait.toNanos();
    while ((lock = channel.tryLock()) == null) {
      if (System.nanoTime() - deadline > 0) {
        channel.close();
        throw new Busy("another run of a namespace test has held " + LOCK_FILE + " for over " + lockWait);
      }
      Thread.sleep(500); // FileChannel.lock() cannot be given a deadline
    }
    NetnsTopology t = new NetnsTopology(tool("ip"), tool("nft"), nodes, channel, lock);
    try {
      t.removeLeftovers();
      t.build();
    } catch (IOException | RuntimeException | InterruptedException e) {
      t.removeAll();
      throw e;
    }
    return t;
  }

  private void build() throws IOException, InterruptedException {
    // Batches: one ip process per namespace rather than one per command.
    StringBuilder root = new StringBuilder("netns add " + BRIDGE_NS + "\n");
    for (int i = 0; i < nodes; i++) root.append("netns add ").append(nodeNamespace(i)).append('\n');
    for (int i = 0; i < nodes; i++) {
      root.append("link add v").append(i).append(" netns ").append(BRIDGE_NS)
          .append(" type veth peer name eth0 netns ").append(nodeNamespace(i)).append('\n');
    }
    root.append("link add ").append(HOST_LINK).append(" type veth peer name vh netns ").append(BRIDGE_NS).append('\n');
    root.append("addr add ").append(HOST_ADDRESS).append("/24 dev ").append(HOST_LINK).append('\n');
    root.append("link set ").append(HOST_LINK).append(" up\n");
    run(root.toString(), ip, "-batch", "-");

    StringBuilder bridge = new StringBuilder("link set lo up\nlink add br0 type bridge\nlink set br0 up\n");
    for (int i = 0; i < nodes; i++) bridge.append("link set v").append(i).append(" master br0 up\n");
    bridge.append("link set vh master br0 up\n");
    run(bridge.toString(), ip, "-n", BRIDGE_NS, "-batch", "-");

    for (int i = 0; i < nodes; i++) {
      run("link set lo up\naddr add " + nodeAddress(i) + "/24 dev eth0\nlink set eth0 up\n",
          ip, "-n", nodeNamespace(i), "-batch", "-");
    }
  }

  /**
   * Gives this machine's side of the LAN a second address, {@code outsider} in a /24 of its own, and
   * makes it the source of every connection from this machine to {@code node} (whose namespace gets
   * a route back). What the test JVM then opens to that node comes from another address group than
   * the other nodes: a peer behind one address elsewhere on the internet.
   */
  void addOutsider(String outsider, int node) throws IOException, InterruptedException {
    String subnet = outsider.substring(0, outsider.lastIndexOf('.') + 1) + "0/24";
    run("addr add " + outsider + "/24 dev " + HOST_LINK + "\n"
        + "route add " + nodeAddress(node) + "/32 dev " + HOST_LINK + " src " + outsider + "\n", ip, "-batch", "-");
    run("route add " + subnet + " dev eth0\n", ip, "-n", nodeNamespace(node), "-batch", "-");
  }

  /** The command prefix that runs a program inside node {@code i}'s namespace (exec'd in place). */
  List<String> execIn(int node) {
    return List.of(ip, "netns", "exec", nodeNamespace(node));
  }

  /** Drops every IPv4 frame between a node of {@code sideA} and a node of {@code sideB}, both ways, at once. */
  void cut(Set<Integer> sideA, Set<Integer> sideB) throws IOException, InterruptedException {
    String a = addresses(sideA);
    String b = addresses(sideB);
    run("""
        table bridge %s {
          chain forward {
            type filter hook forward priority 0; policy accept;
            ip saddr { %s } ip daddr { %s } drop
            ip saddr { %s } ip daddr { %s } drop
          }
        }
        """.formatted(CUT_TABLE, a, b, b, a), ip, "netns", "exec", BRIDGE_NS, nft, "-f", "-");
  }

  /** Deletes the partition's rules (all of them, in one transaction). */
  void heal() throws IOException, InterruptedException {
    run("", ip, "netns", "exec", BRIDGE_NS, nft, "delete", "table", "bridge", CUT_TABLE);
  }

  /** The partition's rules as nft lists them (empty when there is none). */
  String rules() throws IOException, InterruptedException {
    return run("", ip, "netns", "exec", BRIDGE_NS, nft, "list", "ruleset");
  }

  private static String addresses(Set<Integer> side) {
    return side.stream().sorted().map(NetnsTopology::nodeAddress).collect(Collectors.joining(", "));
  }

  /**
   * Removes every {@code gsp-*} namespace (the bridge, the veths and any rules go with them) and
   * {@code gsp-host}, then releases the lock. Idempotent. Processes still in those namespaces are
   * killed first: the caller's, if it has not stopped them, or an earlier run's.
   */
  synchronized void removeAll() throws IOException, InterruptedException {
    if (lock == null) return;
    try {
      removeLeftovers();
    } finally {
      lock.release();
      lockFile.close();
      lock = null;
    }
  }

  /** Everything named {@code gsp-*}: a namespace whose processes lived on would keep its veth, and its node its address. */
  private void removeLeftovers() throws IOException, InterruptedException {
    List<String> ours = run("", ip, "netns", "list").lines().map(l -> l.split(" ")[0]).filter(ns -> ns.startsWith(PREFIX)).toList();
    // Kill them all first, then wait once: a killed process leaves its namespaces as it exits.
    for (String ns : ours) {
      for (long pid : pids(ns)) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (String ns : ours) {
      while (!pids(ns).isEmpty() && System.nanoTime() - deadline < 0) {
        Thread.sleep(50); // not our children (an earlier JVM's): there is nothing to wait on
      }
    }
    // gsp-host before the namespaces: its peer lives in the bridge's namespace, and deleting that
    // namespace takes the pair down in the kernel's own time, so a check-then-delete afterwards
    // raced it (CI, 2026-12-04: "Cannot find device gsp-host"). Deleting one end takes both at once.
    // No check first: absent (no earlier run, or one whose namespace is still going away and the
    // pair with it) is the one refusal that is fine.
    try {
      run("", ip, "link", "delete", HOST_LINK);
    } catch (IOException e) {
      if (!e.getMessage().contains("Cannot find device")) throw e;
    }
    for (String ns : ours) run("", ip, "netns", "delete", ns); // a namespace still in use only loses its name
  }

  /** The processes in namespace {@code ns}. */
  private List<Long> pids(String ns) throws IOException, InterruptedException {
    return run("", ip, "netns", "pids", ns).lines().map(String::strip).filter(l -> !l.isEmpty()).map(Long::parseLong).toList();
  }

  /** Runs {@code command} with {@code stdin}; its stdout, or an IOException with all it wrote. */
  private static String run(String stdin, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    byte[] output = p.getInputStream().readAllBytes(); // ends when the process does (or closes its output)
    if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + ": no exit within " + COMMAND_TIMEOUT_SECONDS + " s");
    }
    String out = new String(output, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + stdin + "--- output\n" + out);
    }
    return out;
  }

  private static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0"); // the effective uid
      }
    } catch (IOException e) {
      return false; // no /proc: not a Linux we can make namespaces on
    }
    return false;
  }

  /** The absolute path of {@code name} on PATH or in the sbin directories, or null. */
  private static String tool(String name) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) dirs.addAll(List.of(path.split(":")));
    dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
    for (String dir : dirs) {
      if (dir.isEmpty()) continue;
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) return candidate.toString();
    }
    return null;
  }
}
