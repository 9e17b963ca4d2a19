package dev.verdant.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batches padded to their own longest text or a fixed length, masks marking the real tokens, shuffles fixed by a seed. */
class TokenizedTextsTest {

    /** Three texts of 3, 5 and 2 tokens ([CLS] 101 ... [SEP] 102), labels 0, 1, 0. */
    private static TokenizedTexts threeTexts() {
        List<long[]> ids = List.of(new long[] {101, 7, 102}, new long[] {101, 8, 9, 10, 102}, new long[] {101, 102});
        List<long[]> types = new ArrayList<>();
        ids.forEach(i -> types.add(new long[i.length]));
        return new TokenizedTexts("t", ids, types, new int[] {0, 1, 0}, List.of("a", "b"));
    }

    @Test
    void eachBatchIsPaddedToItsOwnLongestText() {
        List<TokenBatch> batches = new ArrayList<>();
        threeTexts().batches(2).forEach(batches::add);
        assertThat(batches).hasSize(2);
        TokenBatch first = batches.get(0);
        assertThat(first.length()).isEqualTo(5);
        assertThat(first.inputIds()).containsExactly(101, 7, 102, 0, 0, 101, 8, 9, 10, 102);
        assertThat(first.attentionMask()).containsExactly(1, 1, 1, 0, 0, 1, 1, 1, 1, 1);
        assertThat(first.labels()).containsExactly(0, 1);
        TokenBatch last = batches.get(1);
        assertThat(last.shape()).containsExactly(1, 2); // not padded to the longest text of the whole set
        assertThat(last.values("attention_mask")).containsExactly(1, 1);
    }

    @Test
    void fixedPaddingFillsEveryRowToItsLengthWithItsPadIds() {
        TokenBatch batch = threeTexts().batch(1, 3, new TokenPadding(6, 1, 2));
        assertThat(batch.inputIds()).containsExactly(101, 8, 9, 10, 102, 1, 101, 102, 1, 1, 1, 1);
        assertThat(batch.attentionMask()).containsExactly(1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0);
        assertThat(batch.tokenTypeIds()).containsExactly(0, 0, 0, 0, 0, 2, 0, 0, 2, 2, 2, 2);
        List<TokenBatch> batches = new ArrayList<>();
        threeTexts().batches(2, TokenPadding.zerosTo(5)).forEach(batches::add);
        assertThat(batches).extracting(TokenBatch::length).containsExactly(5, 5);
        assertThatThrownBy(() -> threeTexts().batch(0, 2, TokenPadding.zerosTo(4)))
                .hasMessageContaining("text 1 of t has 5 tokens, more than the padded length 4");
    }

    @Test
    void batchPaddingLongestPadsEachBatchToItsOwnLongestWithTheFixedPadIdsAndMaxToTheFixedLength() {
        TokenPadding fixed = new TokenPadding(6, 1, 2);
        List<TokenBatch> longest = new ArrayList<>();
        threeTexts().batches(2, BatchPadding.LONGEST, fixed).forEach(longest::add);
        assertThat(longest).extracting(TokenBatch::length).containsExactly(5, 2);
        // the fixed padding's pad id and segment, its length not used
        assertThat(longest.get(0).inputIds()).containsExactly(101, 7, 102, 1, 1, 101, 8, 9, 10, 102);
        assertThat(longest.get(0).tokenTypeIds()).containsExactly(0, 0, 0, 2, 2, 0, 0, 0, 0, 0);
        List<TokenBatch> max = new ArrayList<>();
        threeTexts().batches(2, BatchPadding.MAX, fixed).forEach(max::add);
        assertThat(max).extracting(TokenBatch::length).containsExactly(6, 6);
    }

    @Test
    void batchPaddingParsesItsTwoNamesAndRefusesOthersInOneLine() {
        assertThat(BatchPadding.parse("longest")).isEqualTo(BatchPadding.LONGEST);
        assertThat(BatchPadding.parse(" MAX ")).isEqualTo(BatchPadding.MAX);
        assertThat(BatchPadding.LONGEST.describe(128)).isEqualTo("padded to each batch's longest text (at most 128 "
                + "tokens)");
        assertThat(BatchPadding.MAX.describe(64)).isEqualTo("padded or truncated to 64 tokens");
        assertThatThrownBy(() -> BatchPadding.parse("shortest")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--padding is one of longest, max, not 'shortest'");
    }

    @Test
    void shufflesAreFixedBySeedAndKeepLabelsWithTheirTexts() {
        TokenizedTexts texts = threeTexts();
        TokenizedTexts a = texts.shuffled(3);
        assertThat(a).isEqualTo(texts.shuffled(3));
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.labels()[i]).isEqualTo(a.inputIds().get(i).length == 5 ? 1 : 0);
        }
        assertThat(texts.tokenCount()).isEqualTo(10);
        assertThat(texts.maxLength()).isEqualTo(5);
    }

    @Test
    void badInputIsRefused() {
        assertThatThrownBy(() -> threeTexts().batch(2, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside t");
        assertThatThrownBy(() -> threeTexts().batch(0, 1).values("pixels"))
                .hasMessageContaining("not 'pixels'");
        assertThatThrownBy(() -> new TokenizedTexts("t", List.of(new long[] {1, 2}), List.of(new long[] {0}),
                new int[] {0}, List.of("a"))).isInstanceOf(DataFormatException.class);
    }

    /** The stratified split draws the texts a dataset with the same labels and seed draws, so splits agree. */
    @Test
    void stratifiedSplitsDrawWhatTheDatasetSplitDraws() {
        int[] labels = new int[40];
        List<long[]> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 7 == 0 ? 2 : i % 3 == 0 ? 1 : 0;
            ids.add(new long[] {101, 1000 + i, 102});
            texts.add("text " + i);
        }
        List<long[]> types = ids.stream().map(i -> new long[i.length]).toList();
        TokenizedTexts tokens = new TokenizedTexts("t", ids, types, labels, List.of("a", "b", "c"));
        TextDataset dataset = new TextDataset("t", texts, labels, List.of("a", "b", "c"));
        Split<TokenizedTexts> tokenParts = tokens.stratifiedSplit(0.75, 11);
        Split<TextDataset> datasetParts = dataset.stratifiedSplit(0.75, 11);
        assertThat(tokenParts.train().inputIds()).extracting(i -> "text " + (i[1] - 1000))
                .containsExactlyElementsOf(datasetParts.train().texts());
        assertThat(tokenParts.heldOut().inputIds()).extracting(i -> "text " + (i[1] - 1000))
                .containsExactlyElementsOf(datasetParts.heldOut().texts());
        // every class on both sides, in proportion (to rounding)
        assertThat(tokenParts.heldOut().labels()).contains(0, 1, 2);
        // classes of 22, 12 and 6 texts give round(0.75 x size) each: 17 + 9 + 5 (4.5 rounds up)
        assertThat(tokenParts.train().size()).isEqualTo(31);
        assertThatThrownBy(() -> tokens.stratifiedSplit(1.0, 11)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 0 and 1");
    }
}
