package dev.verdant.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How far a batch of tokenized texts is padded: to its own longest text, as sentence-transformers, Optimum and
 * serving stacks pad what users send ({@link #LONGEST}), or every batch to the tokenizer's fixed length
 * ({@link #MAX}), for models and measurements that read one length. Text is measured with {@link #LONGEST} unless
 * asked otherwise: a batch of short sentences padded to 128 tokens is mostly padding, which no user pays for.
 */
public enum BatchPadding {

    /** Each batch padded to its longest text (every text still truncated to the tokenizer's length). */
    LONGEST,

    /** Every batch padded to the tokenizer's fixed length. */
    MAX;

    /** The name on the command line and in reports: {@code longest} or {@code max}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * What the batches are, for a description: "padded to each batch's longest text (at most 128 tokens)" or
     * "padded or truncated to 128 tokens".
     */
    public String describe(int maxTokens) {
        return this == LONGEST ? "padded to each batch's longest text (at most " + maxTokens + " tokens)"
                : "padded or truncated to " + maxTokens + " tokens";
    }

    /**
     * The padding named {@code text} ({@code longest} or {@code max}, any case).
     *
     * @throws IllegalArgumentException with one line naming the accepted values
     */
    public static BatchPadding parse(String text) {
        for (BatchPadding padding : values()) {
            if (padding.label().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return padding;
            }
        }
        throw new IllegalArgumentException("--padding is one of " + Arrays.stream(values()).map(BatchPadding::label)
                .collect(Collectors.joining(", ")) + ", not '" + text + "'");
    }

    @Override
    public String toString() {
        return label();
    }
}
