package dev.verdant.energy.meter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTreeTest {

    @TempDir
    Path proc;

    /** A /proc/PID/stat line with the given parent, times (ticks) and resident pages; comm holds ") (" on purpose. */
    private void process(long pid, long parent, long utime, long stime, long cutime, long cstime, long rssPages)
            throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
        StringBuilder line = new StringBuilder(pid + " (odd) (name) S " + parent);
        for (int field = 5; field <= 13; field++) {
            line.append(" 0");
        }
        line.append(' ').append(utime).append(' ').append(stime).append(' ').append(cutime).append(' ').append(cstime);
        for (int field = 18; field <= 23; field++) {
            line.append(" 0");
        }
        line.append(' ').append(rssPages).append(" 0 0 0\n");
        Files.writeString(dir.resolve("stat"), line.toString());
    }

    @Test
    void sumsTheRootAndItsDescendantsButNotItsSiblings() throws IOException {
        process(1, 0, 0, 0, 0, 0, 10);
        process(100, 1, 50, 50, 0, 0, 1000);      // this JVM
        process(200, 100, 300, 100, 100, 0, 2000); // the tracked command: 4 s own + 1 s reaped children
        process(201, 200, 200, 0, 0, 0, 500);     // its child: 2 s
        process(202, 201, 100, 0, 0, 0, 500);     // grandchild: 1 s
        process(300, 1, 9999, 0, 0, 0, 9999);     // unrelated
        ProcessTree tree = new ProcessTree(proc, SysFiles.REAL, 200, 100);
        ProcessTree.Usage usage = tree.sample();
        assertThat(usage.cpuSeconds()).isEqualTo(8.0);
        assertThat(usage.processes()).isEqualTo(3);
        assertThat(usage.residentBytes()).isEqualTo(3000L * ProcessTree.PAGE_BYTES);
    }

    @Test
    void aReapedCommandsTimeMovesIntoThisJvmsChildrenTimeAndIsKept() throws IOException {
        process(100, 1, 50, 50, 0, 0, 1000);
        process(200, 100, 300, 100, 0, 0, 2000);
        ProcessTree tree = new ProcessTree(proc, SysFiles.REAL, 200, 100);
        assertThat(tree.sample().cpuSeconds()).isEqualTo(4.0);
        // the command exits and the JVM reaps it: its 4.5 s (it ran a little longer) land in the JVM's cutime
        Files.walk(proc.resolve("200")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        process(100, 1, 50, 50, 450, 0, 1000);
        ProcessTree.Usage after = tree.sample();
        assertThat(after.cpuSeconds()).isEqualTo(4.5);
        assertThat(after.processes()).isZero();
    }

    @Test
    void parsesCommandNamesWithSpacesAndParentheses() {
        ProcessTree.Stat stat = ProcessTree.parse(7, "7 (a b) c)) R 3 0 0 0 0 0 0 0 0 0 120 30 5 5 0 0 0 0 0 0 25 0 0");
        assertThat(stat.parentPid()).isEqualTo(3);
        assertThat(stat.ownSeconds()).isEqualTo(1.5);
        assertThat(stat.reapedChildrenSeconds()).isEqualTo(0.1);
        assertThat(stat.residentBytes()).isEqualTo(25 * ProcessTree.PAGE_BYTES);
    }

    @Test
    void measuresARealCpuBoundChildOnThisMachine() throws Exception {
        Process child = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done")
                .redirectErrorStream(true).start();
        ProcessTree tree = ProcessTree.ofChild(child.toHandle());
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // after the JVM reaps the shell, its CPU time is found in this JVM's children time
        assertThat(tree.sample().cpuSeconds()).isGreaterThan(0.05);
    }
}
