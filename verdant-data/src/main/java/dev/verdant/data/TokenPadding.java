package dev.verdant.data;

/**
 * How a batch of tokenized texts is padded: every row filled up to {@code length} tokens with {@code padId} and
 * segment id {@code padTypeId} (attention mask 0). A tokenizer's own fixed-length padding comes from
 * {@link TextTokenizer#fixedPadding}; padding to a batch's longest text uses {@link #zerosTo}.
 *
 * @param length    tokens per row
 * @param padId     the token id of padding
 * @param padTypeId the segment id of padding
 */
public record TokenPadding(int length, long padId, long padTypeId) {

    public TokenPadding {
        if (length < 1) {
            throw new IllegalArgumentException("a padded row needs at least 1 token, not " + length);
        }
    }

    /** Padding to {@code length} with id 0 and segment 0, the BERT convention. */
    public static TokenPadding zerosTo(int length) {
        return new TokenPadding(length, 0, 0);
    }
}
