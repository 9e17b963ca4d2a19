package dev.verdant.compress.retrain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The argument of a retraining recipe step, as users write it after the colon: comma-separated words and
 * {@code key=value} settings, e.g. {@code 0.92,gradual,epochs=8} or {@code student=mobilenet,width=0.5,T=4}. Keys are
 * case-insensitive; an unknown key or a value that does not parse is one line naming the step and what it accepts.
 *
 * @param step     the step's name, for messages
 * @param words    the plain words in order
 * @param settings the settings by lower-case key
 */
public record StepArguments(String step, List<String> words, Map<String, String> settings) {

    public StepArguments {
        words = List.copyOf(words);
        settings = Map.copyOf(settings);
    }

    /** Splits {@code argument}, refusing keys outside {@code keys} and repeated keys. */
    public static StepArguments parse(String step, String argument, Set<String> keys) {
        List<String> words = new ArrayList<>();
        Map<String, String> settings = new LinkedHashMap<>();
        if (!argument.isBlank()) {
            for (String part : argument.split(",", -1)) {
                String token = part.strip();
                int equals = token.indexOf('=');
                if (token.isEmpty()) {
                    throw new IllegalArgumentException("recipe step '" + step + "' has an empty argument in '"
                            + argument + "'");
                }
                if (equals < 0) {
                    words.add(token.toLowerCase(Locale.ROOT));
                    continue;
                }
                String key = token.substring(0, equals).strip().toLowerCase(Locale.ROOT);
                if (!keys.contains(key)) {
                    throw new IllegalArgumentException("recipe step '" + step + "' has no setting '" + key
                            + "'; accepted: " + String.join(", ", keys.stream().sorted().toList()));
                }
                if (settings.put(key, token.substring(equals + 1).strip()) != null) {
                    throw new IllegalArgumentException("recipe step '" + step + "' sets '" + key + "' twice");
                }
            }
        }
        return new StepArguments(step, words, settings);
    }

    /** A setting as a number in [min, max], or {@code fallback} when absent. */
    public double number(String key, double fallback, double min, double max) {
        String text = settings.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            double value = Double.parseDouble(text);
            if (!(value >= min && value <= max)) {
                throw new IllegalArgumentException("recipe step '" + step + "': " + key + " must be in [" + min
                        + ", " + max + "], got " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("recipe step '" + step + "': " + key + " must be a number, got '"
                    + text + "'", e);
        }
    }

    /** A setting as a whole number in [min, max], or {@code fallback} when absent. */
    public int integer(String key, int fallback, int min, int max) {
        double value = number(key, fallback, min, max);
        if (value != Math.rint(value)) {
            throw new IllegalArgumentException("recipe step '" + step + "': " + key + " must be a whole number, got "
                    + settings.get(key));
        }
        return (int) value;
    }

    /** A setting as {@code true} or {@code false} (any case), or {@code fallback} when absent. */
    public boolean bool(String key, boolean fallback) {
        String text = settings.get(key);
        if (text == null) {
            return fallback;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("recipe step '" + step + "': " + key
                    + " must be true or false, got '" + text + "'");
        };
    }

    /** A setting as text, or {@code fallback} when absent. */
    public String text(String key, String fallback) {
        return settings.getOrDefault(key, fallback);
    }
}
