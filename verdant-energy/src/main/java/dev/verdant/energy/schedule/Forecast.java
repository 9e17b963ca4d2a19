package dev.verdant.energy.schedule;

import dev.verdant.energy.CarbonIntensity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The carbon-intensity forecast of one region: intervals in time order, each with a constant intensity, so the
 * intensity is a step function of time. Averages over any span are exact time-weighted integrals of that step
 * function, including spans that start or end inside an interval.
 */
public final class Forecast {

    private final String region;
    private final String source;
    private final List<ForecastPoint> points;
    // Milliseconds since the epoch; the integral of the step function is exact at this resolution.
    private final long[] startMillis; // (points)
    private final long[] endMillis; // (points)
    private final double[] gramsPerKwh; // (points)
    // cumulative[i]: integral of intensity (g/kWh x ms) over the covered time before point i.
    private final double[] cumulative; // (points)

    /**
     * A forecast from intervals in any order; they must not overlap. Gaps are allowed, but no window may span
     * one.
     */
    public Forecast(String region, String source, List<ForecastPoint> points) {
        this.region = requireText(region, "region");
        this.source = requireText(source, "source");
        List<ForecastPoint> sorted = new ArrayList<>(Objects.requireNonNull(points, "points"));
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("the forecast for " + region + " from " + source + " has no points");
        }
        sorted.sort(Comparator.comparing(ForecastPoint::start));
        int n = sorted.size();
        startMillis = new long[n];
        endMillis = new long[n];
        gramsPerKwh = new double[n];
        cumulative = new double[n];
        for (int i = 0; i < n; i++) {
            ForecastPoint p = sorted.get(i);
            startMillis[i] = p.start().toEpochMilli();
            endMillis[i] = p.end().toEpochMilli();
            gramsPerKwh[i] = p.intensity().gramsPerKilowattHour();
            if (i > 0) {
                if (startMillis[i] < endMillis[i - 1]) {
                    throw new IllegalArgumentException("the forecast for " + region + " from " + source
                            + " has overlapping intervals at " + p.start());
                }
                cumulative[i] = cumulative[i - 1] + gramsPerKwh[i - 1] * (endMillis[i - 1] - startMillis[i - 1]);
            }
        }
        this.points = List.copyOf(sorted);
    }

    /**
     * A forecast from sampled times, each value holding until the next time (the form of Electricity Maps,
     * WattTime and CSV files). The last value holds for {@code lastDuration}, or, where that is null, for the
     * step between the last two times.
     */
    public static Forecast fromSamples(String region, String source, List<Instant> times, List<Double> values,
            Duration lastDuration) {
        if (times.size() != values.size()) {
            throw new IllegalArgumentException("times and values differ in length");
        }
        if (times.isEmpty()) {
            throw new IllegalArgumentException("the forecast for " + region + " from " + source + " has no points");
        }
        Integer[] order = new Integer[times.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparing(times::get));
        if (lastDuration == null && times.size() < 2) {
            throw new IllegalArgumentException("the forecast for " + region + " from " + source
                    + " has a single time and no interval length, so the time it covers is unknown");
        }
        List<ForecastPoint> points = new ArrayList<>(times.size());
        for (int k = 0; k < order.length; k++) {
            Instant t = times.get(order[k]);
            Duration d;
            if (k + 1 < order.length) {
                d = Duration.between(t, times.get(order[k + 1]));
                if (d.isZero()) {
                    throw new IllegalArgumentException("the forecast for " + region + " from " + source
                            + " has two values for " + t);
                }
            } else {
                d = lastDuration != null ? lastDuration : Duration.between(times.get(order[k - 1]), t);
            }
            points.add(ForecastPoint.of(t, d, values.get(order[k])));
        }
        return new Forecast(region, source, points);
    }

    /** The region (zone, balancing authority, cloud location) this forecast is for. */
    public String region() {
        return region;
    }

    /** Where the forecast came from, for messages: a file name or a provider. */
    public String source() {
        return source;
    }

    /** The intervals in time order. */
    public List<ForecastPoint> points() {
        return points;
    }

    /** The start of the first interval. */
    public Instant start() {
        return Instant.ofEpochMilli(startMillis[0]);
    }

    /** The end of the last interval. */
    public Instant end() {
        return Instant.ofEpochMilli(endMillis[endMillis.length - 1]);
    }

    /** Whether every instant of [from, to] has a forecast value. */
    public boolean covers(Instant from, Instant to) {
        return uncovered(from.toEpochMilli(), to.toEpochMilli()) == null;
    }

    /** Throws a one-line {@link ForecastException} saying what is missing unless every instant of [from, to] is covered. */
    public void requireCovers(Instant from, Instant to) throws ForecastException {
        String problem = uncovered(from.toEpochMilli(), to.toEpochMilli());
        if (problem != null) {
            throw new ForecastException("the forecast for " + region + " (" + source + ") " + problem
                    + ", so it does not cover the window " + from + " to " + to);
        }
    }

    /**
     * The time-weighted average intensity over [from, to]; an interval cut by either end counts for the part of it
     * inside. Requires {@code from < to} and the span to be covered.
     */
    public CarbonIntensity averageIntensity(Instant from, Instant to) {
        long a = from.toEpochMilli();
        long b = to.toEpochMilli();
        if (b <= a) {
            throw new IllegalArgumentException("empty span " + from + " to " + to);
        }
        String problem = uncovered(a, b);
        if (problem != null) {
            throw new IllegalArgumentException("the forecast for " + region + " " + problem);
        }
        return CarbonIntensity.ofGramsPerKilowattHour((integralUpTo(b) - integralUpTo(a)) / (b - a));
    }

    /** The intensity in force at {@code t}; empty outside the forecast. */
    public Optional<CarbonIntensity> intensityAt(Instant t) {
        long ms = t.toEpochMilli();
        int k = segmentAtOrBefore(ms);
        return k >= 0 && ms < endMillis[k] ? Optional.of(CarbonIntensity.ofGramsPerKilowattHour(gramsPerKwh[k]))
                : Optional.empty();
    }

    /** Every interval start and end, in time order without repeats: the instants where the intensity may change. */
    public List<Instant> boundaries() {
        List<Instant> out = new ArrayList<>(2 * startMillis.length);
        long last = Long.MIN_VALUE;
        for (int i = 0; i < startMillis.length; i++) {
            for (long t : new long[] {startMillis[i], endMillis[i]}) {
                if (t != last) {
                    out.add(Instant.ofEpochMilli(t));
                    last = t;
                }
            }
        }
        return out;
    }

    private double integralUpTo(long t) {
        int k = segmentAtOrBefore(t);
        return cumulative[k] + gramsPerKwh[k] * (Math.min(t, endMillis[k]) - startMillis[k]);
    }

    /** The last interval starting at or before {@code t}, or -1. */
    private int segmentAtOrBefore(long t) {
        int i = Arrays.binarySearch(startMillis, t);
        return i >= 0 ? i : -i - 2;
    }

    /** Null where [a, b] is covered, otherwise what is missing, phrased to follow "the forecast for X". */
    private String uncovered(long a, long b) {
        if (a < startMillis[0]) {
            return "starts at " + start() + ", after " + Instant.ofEpochMilli(a);
        }
        if (b > endMillis[endMillis.length - 1]) {
            return "ends at " + end() + ", before " + Instant.ofEpochMilli(b);
        }
        int k = Math.max(0, segmentAtOrBefore(a));
        if (a >= endMillis[k] && a < b) {
            return "has no value at " + Instant.ofEpochMilli(a);
        }
        for (; k + 1 < startMillis.length && startMillis[k + 1] < b; k++) {
            if (endMillis[k] != startMillis[k + 1]) {
                return "has a gap from " + Instant.ofEpochMilli(endMillis[k]) + " to " + Instant.ofEpochMilli(startMillis[k + 1]);
            }
        }
        return null;
    }

    private static String requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return s;
    }

    @Override
    public String toString() {
        return "Forecast[" + region + ", " + source + ", " + points.size() + " points, " + start() + " to " + end() + "]";
    }
}
