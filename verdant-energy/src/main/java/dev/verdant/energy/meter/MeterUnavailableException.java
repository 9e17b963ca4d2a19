package dev.verdant.energy.meter;

/**
 * Says why a hardware meter cannot be used here (no counters, no permission, no library) in a sentence that
 * names the fix; the tracker prints it and falls back to the estimate.
 */
public final class MeterUnavailableException extends Exception {

    public MeterUnavailableException(String message) {
        super(message);
    }

    public MeterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
