package dev.verdant.energy.meter;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU time and resident memory of a process and all its descendants, read from {@code /proc}.
 *
 * <p>CPU time of a process that has exited moves into its parent's {@code cutime}/{@code cstime} once the parent
 * reaps it, so a live process's own and reaped-children times plus those of its live descendants cover the whole
 * tree. When the root is a child of this JVM, the JVM reaps it at exit; the JVM's children-time growth since the
 * start is then added so the root's time is not lost when it ends. The total is kept monotone: a process
 * re-parented away from the tree (an orphan adopted by init) loses at most the last sampling interval.
 */
public final class ProcessTree {

    /** Linux reports /proc times in USER_HZ clock ticks, fixed at 100 per second by the kernel ABI. */
    static final double TICKS_PER_SECOND = 100.0;
    /** Resident set size is reported in pages; 4 KiB on x86-64 and most arm64 kernels. */
    static final long PAGE_BYTES = 4096;

    private final Path proc;
    private final SysFiles files;
    private final long rootPid;
    private final long selfPid;
    private final double selfChildrenBaselineSeconds;
    private double lastCpuSeconds;

    /**
     * A sample of the tree.
     *
     * @param cpuSeconds    user plus system CPU time of the tree since the process started, monotone
     * @param residentBytes resident memory of the live processes of the tree
     * @param processes     how many live processes the tree has
     */
    public record Usage(double cpuSeconds, long residentBytes, int processes) {
    }

    /** Fields of one {@code /proc/PID/stat} line. */
    record Stat(long pid, long parentPid, double ownSeconds, double reapedChildrenSeconds, long residentBytes) {
    }

    ProcessTree(Path proc, SysFiles files, long rootPid, long selfPid) {
        this.proc = proc;
        this.files = files;
        this.rootPid = rootPid;
        this.selfPid = selfPid;
        Stat self = stat(selfPid);
        this.selfChildrenBaselineSeconds = self == null ? 0 : self.reapedChildrenSeconds();
    }

    /** This JVM and every process it starts. */
    public static ProcessTree ofCurrentProcess() {
        long self = ProcessHandle.current().pid();
        return new ProcessTree(Path.of("/proc"), SysFiles.REAL, self, self);
    }

    /** A process this JVM started, and its descendants. */
    public static ProcessTree ofChild(ProcessHandle child) {
        return new ProcessTree(Path.of("/proc"), SysFiles.REAL, child.pid(), ProcessHandle.current().pid());
    }

    /** Whether CPU time can be read here at all (Linux with /proc). */
    public static boolean supported() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    public long rootPid() {
        return rootPid;
    }

    /** Reads the tree now. */
    public synchronized Usage sample() {
        Map<Long, List<Stat>> byParent = new HashMap<>();
        Stat root = null;
        for (Stat stat : allProcesses()) {
            byParent.computeIfAbsent(stat.parentPid(), k -> new ArrayList<>()).add(stat);
            if (stat.pid() == rootPid) {
                root = stat;
            }
        }
        double seconds = 0;
        long resident = 0;
        int processes = 0;
        if (root != null) {
            Deque<Stat> pending = new ArrayDeque<>();
            pending.add(root);
            while (!pending.isEmpty()) {
                Stat stat = pending.poll();
                seconds += stat.ownSeconds() + stat.reapedChildrenSeconds();
                resident += stat.residentBytes();
                processes++;
                pending.addAll(byParent.getOrDefault(stat.pid(), List.of()));
            }
        }
        if (rootPid != selfPid) {
            Stat self = root == null ? stat(selfPid) : findSelf(byParent);
            if (self != null) {
                seconds += Math.max(0, self.reapedChildrenSeconds() - selfChildrenBaselineSeconds);
            }
        }
        lastCpuSeconds = Math.max(lastCpuSeconds, seconds);
        return new Usage(lastCpuSeconds, resident, processes);
    }

    private Stat findSelf(Map<Long, List<Stat>> byParent) {
        for (List<Stat> siblings : byParent.values()) {
            for (Stat stat : siblings) {
                if (stat.pid() == selfPid) {
                    return stat;
                }
            }
        }
        return null;
    }

    private List<Stat> allProcesses() {
        List<Stat> stats = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc, ProcessTree::isPidFolder)) {
            for (Path entry : entries) {
                Stat stat = stat(Long.parseLong(entry.getFileName().toString()));
                if (stat != null) {
                    stats.add(stat);
                }
            }
        } catch (IOException e) {
            // /proc unreadable: the tree reads as empty and the total stays where it was
        }
        return stats;
    }

    private static boolean isPidFolder(Path entry) {
        String name = entry.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    /** Parses {@code /proc/PID/stat}; null when the process has gone. */
    Stat stat(long pid) {
        String line;
        try {
            line = files.read(proc.resolve(Long.toString(pid)).resolve("stat"));
        } catch (IOException e) {
            return null;
        }
        return parse(pid, line);
    }

    /** Fields after the command name (which may hold spaces and parentheses), numbered as in proc(5) minus 3. */
    static Stat parse(long pid, String line) {
        int close = line.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        // the kernel separates fields with single spaces; split(" ") takes String's fast path, no regex
        String[] fields = line.substring(close + 2).strip().split(" ");
        if (fields.length < 22) {
            return null;
        }
        long parent = Long.parseLong(fields[1]);
        double own = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        double children = (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / TICKS_PER_SECOND;
        long resident = Math.max(0, Long.parseLong(fields[21])) * PAGE_BYTES;
        return new Stat(pid, parent, own, children, resident);
    }
}
