package dev.verdant.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.quicktheories.core.Gen;

/**
 * The one check of every parser's property test (issue 22): on any input a parser either returns a value or
 * refuses the input with one of the exceptions it documents, whose message is one non-blank line (the CLI prints
 * it after {@code verdant: } and exits 2). Any other exception (a NullPointerException, an
 * IndexOutOfBoundsException, a NumberFormatException that leaked, an OutOfMemoryError) propagates, so QuickTheories
 * or Jazzer reports and shrinks the input that caused it. A failing input, once fixed, stays as a plain test of its
 * own beside the property.
 */
public final class ParserProperties {

    /** Shrinking stops after this many steps, so a failure on a large input reports within seconds. */
    private static final int SHRINK_CYCLES = 40;

    private ParserProperties() {
    }

    /** A check of one input that may throw anything. */
    @FunctionalInterface
    public interface Check<T> {
        void accept(T input) throws Exception;
    }

    /** Runs {@code check} on {@code examples} inputs from {@code inputs}; a failure is shrunk and printed. */
    public static <T> void forAll(int examples, Gen<T> inputs, Check<T> check) {
        qt().withExamples(examples).withShrinkCycles(SHRINK_CYCLES).forAll(inputs).checkAssert(input -> {
            try {
                check.accept(input);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    /**
     * Runs {@code parse}; returns its value, or empty when it refused the input with one of {@code documented} on one
     * line.
     */
    @SafeVarargs
    public static <T> Optional<T> parsesOrRefuses(Callable<T> parse, Class<? extends Exception>... documented)
            throws Exception {
        try {
            return Optional.of(parse.call());
        } catch (Exception e) {
            if (Arrays.stream(documented).noneMatch(type -> type.isInstance(e))) {
                throw e;
            }
            assertThat(e.getMessage()).as("message of %s", e.getClass().getName()).isNotBlank()
                    .doesNotContain("\n").doesNotContain("\r");
            return Optional.empty();
        }
    }
}
