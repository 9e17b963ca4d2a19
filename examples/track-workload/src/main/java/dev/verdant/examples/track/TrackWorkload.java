package dev.verdant.examples.track;

import dev.verdant.energy.Component;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.Measured;
import dev.verdant.energy.Tracker;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Tracks an ordinary Java workload (counting primes) with Verdant's {@link Tracker} and sends the report to a sink
 * of this project's own, {@link ConsoleTableSink}. Prints the workload's result, then the energy with how it was
 * obtained: {@code measured} where a hardware counter (RAPL) is readable, {@code estimated} otherwise.
 */
public final class TrackWorkload {

    private TrackWorkload() {
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws Exception what the workload throws
     */
    public static void main(String[] args) throws Exception {
        ConsoleTableSink sink = new ConsoleTableSink(System.out);
        Tracker tracker = Tracker.builder().sink(sink).build();

        int limit = 5_000_000;
        Measured<Long> primes = tracker.measureTask("count-primes", () -> countPrimes(limit));

        EnergyReport report = primes.report();
        System.out.printf(Locale.ROOT, "primes below %,d: %d%n", limit, primes.value());
        System.out.printf(Locale.ROOT, "energy: %.3f J (%s), CPU %.3f J, %.3f mg CO2e, in %.2f s%n",
                report.totalEnergy().joules(), report.method().label(), report.energy(Component.CPU).joules(),
                report.emissions().grams() * 1000, report.durationSeconds());
        System.out.println("reports the sink received: " + sink.reportsReceived());
    }

    /** A deliberately plain CPU-bound workload: trial division, in parallel over the cores. */
    static long countPrimes(int below) {
        return IntStream.range(2, below).parallel().filter(TrackWorkload::isPrime).count();
    }

    private static boolean isPrime(int n) {
        for (int d = 2; (long) d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }
}
