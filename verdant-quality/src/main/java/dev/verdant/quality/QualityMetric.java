package dev.verdant.quality;

/**
 * A measure of how closely one output of a compressed model follows the same output of the original, over every
 * checked example: the service a user's jar provides to judge an output Verdant has no measure for. Verdant finds
 * implementations with {@link java.util.ServiceLoader}, on its class path and in every {@code --plugin} jar, which
 * lists them in {@code META-INF/services/dev.verdant.quality.QualityMetric}; an implementation needs a public
 * no-argument constructor. A tolerance names a metric by {@link #name()}: {@code --tolerance out=NAME>=0.9}.
 *
 * <p>A metric is stateless; {@link #start()} gives a fresh {@link Accumulator} for each output of each check, fed one
 * {@link OutputPair} per example, so one metric instance serves every output and every run.
 */
public interface QualityMetric {

    /**
     * The name a tolerance gives it: lower case letters, digits and dashes, e.g. {@code edit-distance}. A plugin's
     * name must not be a built-in's.
     */
    String name();

    /** One line saying what the figure is and which way is better, for {@code --help} and the report. */
    String description();

    /** A fresh accumulator for one output of one comparison. */
    Accumulator start();

    /** Collects one output's examples and answers the figure. */
    interface Accumulator {

        /** Takes one example (one sequence, for a stateful model). */
        void add(OutputPair pair);

        /** The figure over every example added; {@code NaN} when none was. */
        double value();
    }
}
