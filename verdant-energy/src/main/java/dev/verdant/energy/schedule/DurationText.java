package dev.verdant.energy.schedule;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes job durations the way people type them on a command line ({@code 2h}, {@code 90m},
 * {@code 1h30m}, {@code 45s}) as well as ISO-8601 ({@code PT2H}).
 */
public final class DurationText {

    /** The longest duration taken: ten years, far beyond any job, window or budget, and far from overflow. */
    public static final Duration MAX = Duration.ofDays(3650);

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(d|h|m|s)");

    private DurationText() {
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} naming the accepted forms if it cannot. */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("pt") || s.startsWith("p")) {
            try {
                return bounded(Duration.parse(s.toUpperCase(Locale.ROOT)), text);
            } catch (DateTimeParseException | ArithmeticException e) {
                throw bad(text);
            }
        }
        Matcher m = PART.matcher(s);
        int at = 0;
        double seconds = 0;
        while (at < s.length() && m.find(at) && m.start() == at) {
            double value = Double.parseDouble(m.group(1));
            seconds += value * switch (m.group(2)) {
                case "d" -> 86_400;
                case "h" -> 3_600;
                case "m" -> 60;
                default -> 1;
            };
            at = m.end();
        }
        if (at == 0 || at != s.length()) {
            throw bad(text);
        }
        if (!(seconds <= MAX.toSeconds())) {
            throw tooLong(text);
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private static Duration bounded(Duration duration, String text) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a duration cannot be negative: '" + text + "'");
        }
        if (duration.compareTo(MAX) > 0) {
            throw tooLong(text);
        }
        return duration;
    }

    private static IllegalArgumentException tooLong(String text) {
        return new IllegalArgumentException("duration '" + text + "' is longer than " + MAX.toDays()
                + " days, the longest taken");
    }

    /** A short human form: {@code 2h}, {@code 1h30m}, {@code 45s}. */
    public static String format(Duration d) {
        long total = d.toSeconds();
        if (total == 0) {
            return d.toMillis() + "ms";
        }
        StringBuilder sb = new StringBuilder();
        if (total < 0) {
            sb.append('-');
            total = -total;
        }
        long h = total / 3600;
        long m = total % 3600 / 60;
        long s = total % 60;
        if (h > 0) {
            sb.append(h).append('h');
        }
        if (m > 0) {
            sb.append(m).append('m');
        }
        if (s > 0 || (h == 0 && m == 0)) {
            sb.append(s).append('s');
        }
        return sb.toString();
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 2h, 90m, 1h30m, 45s or PT2H)");
    }
}
