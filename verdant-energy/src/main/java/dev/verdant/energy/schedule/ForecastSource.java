package dev.verdant.energy.schedule;

/**
 * Where carbon-intensity forecasts come from: a local file or one of the forecast services. Every source
 * answers with the same {@link Forecast} so the window search does not care which one it was.
 */
public sealed interface ForecastSource extends AutoCloseable
        permits ForecastFile, ElectricityMapsSource, WattTimeSource, CarbonAwareSdkSource {

    /** A short name for messages, for example {@code electricitymaps} or the file name. */
    String name();

    /**
     * The forecast for {@code query.region()}; it is not checked against the window here (the search does that
     * and says which region falls short).
     *
     * @throws ForecastException the region is unknown, or the provider failed, timed out or answered in a shape
     *     that is not its documented one
     */
    Forecast forecast(ForecastQuery query) throws ForecastException;

    /** Releases the HTTP client of a service source; a file source holds nothing open. Idempotent. */
    @Override
    default void close() {
    }
}
