import dev.verdant.energy.EnergyConfig;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.Tracker;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Tracker overhead on this machine: how long starting a run takes (cold, in a fresh JVM, and warm), and how much
 * CPU the sampling thread uses at the default 1 s interval, as a share of one core and of the machine, with and
 * without a JFR recording of Verdant's events (side by side, ABBA).
 *
 * <p>Run from the repository root after building verdant-energy:
 * <pre>
 *   ./mvnw -B -q -o -pl verdant-energy -am package -DskipTests
 *   java -cp verdant-energy/target/classes bench/energy/TrackerOverheadBench.java [seconds]
 * </pre>
 */
public class TrackerOverheadBench {

    private static long samplerCpuOf(ThreadMXBean threads, String threadName) {
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            if (info != null && info.getThreadName().equals(threadName)) {
                return threads.getThreadCpuTime(id);
            }
        }
        return 0;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        long coldStart = System.nanoTime();
        long coldCpuStart = threads.getCurrentThreadCpuTime();
        TrackedRun cold = Tracker.start("cold");
        long coldNanos = System.nanoTime() - coldStart;
        long coldCpu = threads.getCurrentThreadCpuTime() - coldCpuStart;
        cold.stop();

        Tracker tracker = Tracker.builder().config(EnergyConfig.fromEnvironment()).build();
        long[] warm = new long[20];
        long[] warmCpu = new long[20];
        for (int i = 0; i < warm.length; i++) {
            long t0 = System.nanoTime();
            long c0 = threads.getCurrentThreadCpuTime();
            TrackedRun run = tracker.startRun("warm-" + i);
            warm[i] = System.nanoTime() - t0;
            warmCpu[i] = threads.getCurrentThreadCpuTime() - c0;
            run.stop();
        }
        Arrays.sort(warm);
        Arrays.sort(warmCpu);

        Tracker oneSecond = Tracker.builder().config(EnergyConfig.fromEnvironment().toBuilder()
                .sampleInterval(Duration.ofSeconds(1)).build()).build();
        // Side by side in one run, in ABBA order so drifting load hits both alike: the sampler with no JFR
        // recording (its events cost one flag check) and with a recording that has Verdant's events enabled.
        long[] samplerCpu = new long[2];
        double[] phaseWall = new double[2];
        long wallStart = System.nanoTime();
        EnergyReport report = null;
        int[] order = {0, 1, 1, 0};
        for (int phase = 0; phase < order.length; phase++) {
            boolean jfr = order[phase] == 1;
            String name = "overhead-" + phase;
            jdk.jfr.Recording recording = null;
            if (jfr) {
                recording = new jdk.jfr.Recording();
                recording.enable("dev.verdant.EnergySample");
                recording.enable("dev.verdant.TrackedTask");
                recording.start();
            }
            long phaseStart = System.nanoTime();
            try (TrackedRun run = oneSecond.startRun(name)) {
                Thread.sleep(seconds * 1000L / order.length);
                samplerCpu[order[phase]] += samplerCpuOf(threads, "verdant-energy-" + name);
                report = run.stop();
            }
            phaseWall[order[phase]] += (System.nanoTime() - phaseStart) / 1e9;
            if (recording != null) {
                recording.close();
            }
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;
        int cpus = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "machine: %d CPUs, %s%n", cpus, report.hardware().cpuModel());
        System.out.printf(Locale.ROOT, "load average now: %.1f (wall times stretch when other work competes for the CPUs)%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf(Locale.ROOT, "Tracker.start (cold: first run in a fresh JVM, tables loaded): wall %.1f ms, CPU %.1f ms%n",
                coldNanos / 1e6, coldCpu / 1e6);
        System.out.printf(Locale.ROOT, "tracker.startRun (warm, median of %d): wall %.2f ms (max %.2f), CPU %.2f ms%n",
                warm.length, warm[warm.length / 2] / 1e6, warm[warm.length - 1] / 1e6, warmCpu[warmCpu.length / 2] / 1e6);
        String[] labels = {"no JFR recording", "JFR recording of Verdant's events"};
        for (int i = 0; i < 2; i++) {
            System.out.printf(Locale.ROOT, "sampling at 1 s, %s, %.1f s: sampler CPU %.1f ms = %.3f %% of one core, %.3f %% of the machine%n",
                    labels[i], phaseWall[i], samplerCpu[i] / 1e6, samplerCpu[i] / 1e9 / phaseWall[i] * 100,
                    samplerCpu[i] / 1e9 / phaseWall[i] / cpus * 100);
        }
        System.out.printf(Locale.ROOT, "method: %s (%s); %d samples' worth of /proc reads%n", report.method().label(),
                report.trackingMode(), Math.round(wall));
    }
}
