package voidphone.gossip.bench;

import io.netty.channel.epoll.Epoll;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/** What the benchmarks print about the machine they ran on. */
final class Machine {
  private Machine() {}

  /** The CPU's model name from /proc/cpuinfo, or the architecture where there is none. */
  static String cpuModel() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return System.getProperty("os.arch");
    }
    try (BufferedReader r = Files.newBufferedReader(cpuinfo)) {
      return r.lines()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse(System.getProperty("os.arch"));
    } catch (IOException e) {
      return System.getProperty("os.arch");
    }
  }

  /** The 1, 5 and 15 minute load averages from /proc/loadavg: other work competing for the cores. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The garbage collectors of this JVM, by their MXBean names. */
  static String collectors() {
    return String.join(", ", ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName).toList());
  }

  /** CPU time of this whole process (every thread), or 0 where the JVM does not tell. */
  static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
  }

  /** One line: cores, CPU model, JDK, transport, heap, collectors and date. */
  static String summary() {
    return String.format("machine: %d cores, %s, JDK %s (%s), transport %s, heap %d MiB, GC %s, date %s",
        Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.version"),
        System.getProperty("java.vendor"), Epoll.isAvailable() ? "epoll" : "nio",
        Runtime.getRuntime().maxMemory() >> 20, collectors(), LocalDate.now());
  }
}
