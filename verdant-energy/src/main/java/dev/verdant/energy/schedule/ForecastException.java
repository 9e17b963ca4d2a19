package dev.verdant.energy.schedule;

import java.io.IOException;

/**
 * No usable forecast: a provider answered with an error, timed out or sent a body that is not its documented
 * shape, the region is unknown, or the forecast does not cover the window asked for. The message is one line
 * that says which, so a command can print it as is.
 */
public class ForecastException extends IOException {

    public ForecastException(String message) {
        super(message);
    }

    public ForecastException(String message, Throwable cause) {
        super(message, cause);
    }
}
