package dev.verdant.energy.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.verdant.energy.Energy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BestWindowSearchTest {

    private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");

    private static Forecast hourly(String region, double... gramsPerKwh) {
        List<ForecastPoint> points = new ArrayList<>();
        for (int i = 0; i < gramsPerKwh.length; i++) {
            points.add(ForecastPoint.of(T0.plus(Duration.ofHours(i)), Duration.ofHours(1), gramsPerKwh[i]));
        }
        return new Forecast(region, "test", points);
    }

    @Test
    void theBestStartCanEndAsACleanIntervalEndsWithAPartialOverlap() throws Exception {
        // 90 minutes in [100, 500, 50, 600]: starting at 01:30 takes the last half of the 500 hour and all of
        // the 50 hour, (30 x 500 + 60 x 50) / 90 = 200; no start on the hourly grid does as well.
        Forecast f = hourly("DE", 100, 500, 50, 600);
        ScheduleRequest request = ScheduleRequest.within(Duration.ofMinutes(90), T0, Duration.ofHours(4), List.of("DE"));

        Schedule s = BestWindowSearch.search(request, List.of(f));

        assertThat(s.best().start()).isEqualTo(T0.plus(Duration.ofMinutes(90)));
        assertThat(s.best().averageIntensity().gramsPerKilowattHour()).isCloseTo((30 * 500.0 + 60 * 50.0) / 90, within(1e-9));
        assertThat(s.runNow().averageIntensity().gramsPerKilowattHour()).isCloseTo((60 * 100.0 + 30 * 500.0) / 90, within(1e-9));
        double now = (60 * 100.0 + 30 * 500.0) / 90;
        assertThat(s.savingPercent()).isCloseTo(100 * (now - 200) / now, within(1e-9));
    }

    @Test
    void locationShiftingPicksTheCleanerRegionAndRunNowStaysInTheFirst() throws Exception {
        Forecast de = hourly("DE", 400, 380, 390, 420);
        Forecast fr = hourly("FR", 60, 55, 40, 70);
        ScheduleRequest request = ScheduleRequest.within(Duration.ofHours(1), T0, Duration.ofHours(4), List.of("DE", "FR"));

        Schedule s = BestWindowSearch.search(request, List.of(de, fr));

        assertThat(s.best().region()).isEqualTo("FR");
        assertThat(s.best().start()).isEqualTo(T0.plus(Duration.ofHours(2)));
        assertThat(s.runNow().region()).isEqualTo("DE");
        assertThat(s.runNow().averageIntensity().gramsPerKilowattHour()).isEqualTo(400.0);
        assertThat(s.regions()).extracting(Schedule.RegionWindows::region).containsExactly("DE", "FR");
        assertThat(s.regions().get(0).best().start()).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(s.avoided(Energy.ofKilowattHours(2.0)).grams()).isCloseTo(2.0 * (400 - 40), within(1e-9));
    }

    @Test
    void tiesGoToTheEarlierStartThenTheFirstRegion() throws Exception {
        Forecast a = hourly("A", 10, 10, 10);
        Forecast b = hourly("B", 10, 10, 10);
        Schedule s = BestWindowSearch.search(
                ScheduleRequest.within(Duration.ofHours(1), T0, Duration.ofHours(3), List.of("A", "B")), List.of(a, b));
        assertThat(s.best().region()).isEqualTo("A");
        assertThat(s.best().start()).isEqualTo(T0);
        assertThat(s.savingPercent()).isZero();
    }

    @Test
    void aForecastThatDoesNotCoverTheWindowIsRefusedWithTheRegionNamed() {
        Forecast de = hourly("DE", 1, 2, 3);
        ScheduleRequest tooLong = ScheduleRequest.within(Duration.ofHours(1), T0, Duration.ofHours(4), List.of("DE"));
        assertThatThrownBy(() -> BestWindowSearch.search(tooLong, List.of(de)))
                .isInstanceOf(ForecastException.class)
                .hasMessageContaining("DE")
                .hasMessageContaining("ends at 2026-11-23T03:00:00Z");
        ScheduleRequest early = ScheduleRequest.within(Duration.ofHours(1), T0.minusSeconds(60), Duration.ofHours(2), List.of("DE"));
        assertThatThrownBy(() -> BestWindowSearch.search(early, List.of(de)))
                .isInstanceOf(ForecastException.class)
                .hasMessageContaining("starts at");
    }

    @Test
    void aJobLongerThanItsWindowIsBadInput() {
        assertThatThrownBy(() -> ScheduleRequest.within(Duration.ofHours(3), T0, Duration.ofHours(2), List.of("DE")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than the window");
    }

    /**
     * Randomized forecasts (seeded), with uneven intervals, several regions and starts and jobs off the grid,
     * checked against a brute force that evaluates every whole-minute start by summing a per-minute intensity
     * table. All times are whole minutes, so the brute force is exact and must agree to rounding.
     */
    @Test
    void agreesWithBruteForceOnRandomForecasts() throws Exception {
        Random random = new Random(20261123);
        int[] steps = {5, 15, 30, 60};
        for (int trial = 0; trial < 150; trial++) {
            int regions = 1 + random.nextInt(3);
            int windowMinutes = 30 + random.nextInt(12 * 60);
            int jobMinutes = 1 + random.nextInt(Math.min(windowMinutes, 6 * 60));
            int fromOffset = random.nextInt(90);
            boolean uneven = random.nextBoolean();
            int step = steps[random.nextInt(steps.length)];
            List<String> names = new ArrayList<>();
            List<Forecast> forecasts = new ArrayList<>();
            List<double[]> perMinute = new ArrayList<>();
            for (int r = 0; r < regions; r++) {
                String name = "R" + r;
                names.add(name);
                List<ForecastPoint> points = new ArrayList<>();
                int totalMinutes = fromOffset + windowMinutes + random.nextInt(60);
                double[] table = new double[totalMinutes + 24 * 60];
                int t = 0;
                while (t < totalMinutes) {
                    int length = uneven ? 5 * (1 + random.nextInt(24)) : step;
                    double value = 20 + random.nextInt(780) + (random.nextBoolean() ? 0.25 : 0);
                    points.add(ForecastPoint.of(T0.plus(Duration.ofMinutes(t)), Duration.ofMinutes(length), value));
                    for (int m = t; m < t + length; m++) {
                        table[m] = value;
                    }
                    t += length;
                }
                forecasts.add(new Forecast(name, "random", points));
                perMinute.add(table);
            }
            Instant from = T0.plus(Duration.ofMinutes(fromOffset));
            ScheduleRequest request = ScheduleRequest.within(Duration.ofMinutes(jobMinutes), from,
                    Duration.ofMinutes(windowMinutes), names);

            Schedule s = BestWindowSearch.search(request, forecasts);

            double bruteBest = Double.POSITIVE_INFINITY;
            for (int r = 0; r < regions; r++) {
                double regionBest = Double.POSITIVE_INFINITY;
                for (int start = fromOffset; start + jobMinutes <= fromOffset + windowMinutes; start++) {
                    regionBest = Math.min(regionBest, bruteAverage(perMinute.get(r), start, jobMinutes));
                }
                assertThat(s.regions().get(r).best().averageIntensity().gramsPerKilowattHour()).as("trial %d region %d", trial, r)
                        .isCloseTo(regionBest, within(1e-7));
                bruteBest = Math.min(bruteBest, regionBest);
            }
            Window best = s.best();
            assertThat(best.averageIntensity().gramsPerKilowattHour()).as("trial %d", trial).isCloseTo(bruteBest, within(1e-7));
            // The chosen window really has that average, fits the window and lasts the job.
            int chosenStart = (int) Duration.between(T0, best.start()).toMinutes();
            assertThat(bruteAverage(perMinute.get(names.indexOf(best.region())), chosenStart, jobMinutes))
                    .isCloseTo(best.averageIntensity().gramsPerKilowattHour(), within(1e-7));
            assertThat(best.start()).isBetween(from, request.latestStart());
            assertThat(Duration.between(best.start(), best.end())).isEqualTo(Duration.ofMinutes(jobMinutes));
            assertThat(s.runNow().averageIntensity().gramsPerKilowattHour())
                    .isCloseTo(bruteAverage(perMinute.get(0), fromOffset, jobMinutes), within(1e-7));
        }
    }

    /**
     * The forecast file the documentation runs on, searched for several job lengths and windows in both regions
     * and checked against the per-minute brute force built straight from the file's rows.
     */
    @Test
    void theDocumentedForecastFileAgreesWithBruteForce() throws Exception {
        Path file = Path.of(System.getProperty("verdant.repo.root", "..")).resolve("data/forecasts/synthetic-de-fr-2026-11-23.csv");
        Map<String, double[]> perMinute = new LinkedHashMap<>();
        List<String> rows = Files.readAllLines(file).stream().filter(l -> !l.startsWith("#")).skip(1).toList();
        for (String row : rows) {
            String[] cells = row.split(",");
            int hour = (int) Duration.between(T0, Instant.parse(cells[1])).toHours();
            double[] table = perMinute.computeIfAbsent(cells[0], r -> new double[36 * 60]);
            Arrays.fill(table, hour * 60, hour * 60 + 60, Double.parseDouble(cells[2]));
        }
        try (ForecastFile source = ForecastFile.read(file)) {
            for (int jobMinutes : new int[] {30, 90, 120, 300}) {
                for (int fromMinute : new int[] {0, 45, 12 * 60}) {
                    int windowMinutes = Math.min(24 * 60, 36 * 60 - fromMinute);
                    ScheduleRequest request = ScheduleRequest.within(Duration.ofMinutes(jobMinutes), T0.plus(Duration.ofMinutes(fromMinute)),
                            Duration.ofMinutes(windowMinutes), List.of("DE", "FR"));
                    Schedule s = BestWindowSearch.search(request, source);
                    double brute = Double.POSITIVE_INFINITY;
                    for (double[] table : perMinute.values()) {
                        for (int start = fromMinute; start + jobMinutes <= fromMinute + windowMinutes; start++) {
                            brute = Math.min(brute, bruteAverage(table, start, jobMinutes));
                        }
                    }
                    assertThat(s.best().averageIntensity().gramsPerKilowattHour()).as("job %d from %d", jobMinutes, fromMinute).isCloseTo(brute, within(1e-9));
                }
            }
        }
    }

    private static double bruteAverage(double[] perMinute, int startMinute, int minutes) {
        double sum = 0;
        for (int m = startMinute; m < startMinute + minutes; m++) {
            sum += perMinute[m];
        }
        return sum / minutes;
    }
}
