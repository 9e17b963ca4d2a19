package dev.verdant.energy.schedule;

import java.time.Duration;
import java.util.Objects;

/**
 * How the forecast clients talk HTTP: connect and request timeouts, and how often and how patiently a request
 * that failed for a passing reason (a 5xx answer, a timeout, a refused connection) is tried again. A 4xx answer
 * is never retried: asking again would get the same answer.
 *
 * @param maxAttempts tries in all, at least 1
 * @param firstBackoff the wait before the second try; each later wait doubles
 */
public record HttpSettings(Duration connectTimeout, Duration requestTimeout, int maxAttempts, Duration firstBackoff) {

    public HttpSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(firstBackoff, "firstBackoff");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (firstBackoff.isNegative()) {
            throw new IllegalArgumentException("firstBackoff must not be negative");
        }
    }

    /** 10 s to connect, 30 s for an answer, 3 tries with 1 s then 2 s between them. */
    public static HttpSettings defaults() {
        return new HttpSettings(Duration.ofSeconds(10), Duration.ofSeconds(30), 3, Duration.ofSeconds(1));
    }

    /** The same settings with another request timeout. */
    public HttpSettings withRequestTimeout(Duration timeout) {
        return new HttpSettings(connectTimeout, timeout, maxAttempts, firstBackoff);
    }
}
