package dev.verdant.data;

import java.util.List;

/**
 * A batch of tokenized texts as a BERT-style encoder reads them: three int64 {@code (size, length)} row-major
 * arrays, padded only to the longest text of the batch (shorter texts end in padding with attention mask 0), so no
 * step pays for tokens that no text in it has.
 *
 * @param inputIds      token ids, padding id 0 after each text's end
 * @param attentionMask 1 for a real token, 0 for padding
 * @param tokenTypeIds  segment ids (0 for single texts)
 * @param labels        one label per text
 * @param length        tokens per row: the longest text's
 */
public record TokenBatch(long[] inputIds, long[] attentionMask, long[] tokenTypeIds, int[] labels, int length) {

    /** The input names a token batch fills, in the order BERT exports declare them. */
    public static final List<String> INPUT_NAMES = List.of("input_ids", "attention_mask", "token_type_ids");

    public TokenBatch {
        long cells = (long) labels.length * length;
        if (length < 1 || inputIds.length != cells || attentionMask.length != cells || tokenTypeIds.length != cells) {
            throw new IllegalArgumentException("a batch of " + labels.length + " texts of " + length
                    + " tokens needs " + cells + " ids, mask and type values");
        }
    }

    /** The number of texts. */
    public int size() {
        return labels.length;
    }

    /** {@code [size, length]}. */
    public long[] shape() {
        return new long[] {size(), length};
    }

    /** The values of input {@code name} (one of {@link #INPUT_NAMES}); shared, not copied. */
    public long[] values(String name) {
        return switch (name) {
            case "input_ids" -> inputIds;
            case "attention_mask" -> attentionMask;
            case "token_type_ids" -> tokenTypeIds;
            default -> throw new IllegalArgumentException("a token batch fills " + INPUT_NAMES + ", not '" + name
                    + "'");
        };
    }
}
