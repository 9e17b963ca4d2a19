package dev.verdant.energy.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Finds the start time and region with the lowest average carbon intensity over a job (time and location
 * shifting).
 *
 * <p>The search is exact, not sampled. A forecast is a step function of time, so the average over [s, s + D] is
 * piecewise linear in the start s, with kinks only where s or s + D meets an interval boundary. A minimum of a
 * piecewise-linear function on [from, to - D] lies at a kink or an end, so these starts are all that need
 * trying: {@code from} (run now), {@code to - D} (latest start), every boundary (start as a clean interval
 * begins) and every boundary minus D (end as a clean interval ends). Ties go to the earlier start, then to the
 * region listed first.
 */
public final class BestWindowSearch {

    private BestWindowSearch() {
    }

    /** Fetches each region's forecast from {@code source} and searches them. */
    public static Schedule search(ScheduleRequest request, ForecastSource source) throws ForecastException {
        List<Forecast> forecasts = new ArrayList<>();
        for (String region : request.regions()) {
            forecasts.add(source.forecast(request.query(region)));
        }
        return search(request, forecasts);
    }

    /**
     * Searches the given forecasts, one per region of the request, in the same order.
     *
     * @throws ForecastException a forecast does not cover the request's window
     */
    public static Schedule search(ScheduleRequest request, List<Forecast> forecasts) throws ForecastException {
        if (forecasts.size() != request.regions().size()) {
            throw new IllegalArgumentException(forecasts.size() + " forecasts for " + request.regions().size() + " regions");
        }
        List<Schedule.RegionWindows> perRegion = new ArrayList<>();
        Window best = null;
        for (int i = 0; i < forecasts.size(); i++) {
            Forecast f = forecasts.get(i);
            String region = request.regions().get(i);
            if (!f.region().equals(region)) {
                throw new IllegalArgumentException("forecast " + i + " is for " + f.region() + ", not " + region);
            }
            f.requireCovers(request.from(), request.to());
            Window regionBest = bestIn(f, request.from(), request.to(), request.jobDuration());
            Window now = windowAt(f, request.from(), request.jobDuration());
            perRegion.add(new Schedule.RegionWindows(region, regionBest, now));
            if (best == null || regionBest.averageIntensity().gramsPerKilowattHour() < best.averageIntensity().gramsPerKilowattHour()) {
                best = regionBest;
            }
        }
        return new Schedule(request, best, perRegion.get(0).now(), perRegion);
    }

    /** The lowest-average window for a job of {@code job} inside [from, to] of one covered forecast. */
    public static Window bestIn(Forecast forecast, Instant from, Instant to, Duration job) {
        Instant latest = to.minus(job);
        if (latest.isBefore(from)) {
            throw new IllegalArgumentException("the job (" + DurationText.format(job) + ") does not fit in " + from + " to " + to);
        }
        TreeSet<Instant> starts = new TreeSet<>();
        starts.add(from);
        starts.add(latest);
        for (Instant b : forecast.boundaries()) {
            addIfWithin(starts, b, from, latest);
            addIfWithin(starts, b.minus(job), from, latest);
        }
        Window best = null;
        for (Instant s : starts) {
            Window w = windowAt(forecast, s, job);
            if (best == null || w.averageIntensity().gramsPerKilowattHour() < best.averageIntensity().gramsPerKilowattHour()) {
                best = w;
            }
        }
        return best;
    }

    /** The window of a job of {@code job} starting at {@code start}. */
    public static Window windowAt(Forecast forecast, Instant start, Duration job) {
        Instant end = start.plus(job);
        return new Window(forecast.region(), start, end, forecast.averageIntensity(start, end));
    }

    private static void addIfWithin(TreeSet<Instant> set, Instant t, Instant lo, Instant hi) {
        if (!t.isBefore(lo) && !t.isAfter(hi)) {
            set.add(t);
        }
    }
}
