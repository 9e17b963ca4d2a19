package dev.verdant.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.compress.QualitySpec;
import dev.verdant.bench.ProcessMemory;
import dev.verdant.data.BatchPadding;
import dev.verdant.data.Datasets;
import dev.verdant.energy.Tracker;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.ModelRef;
import dev.verdant.report.Result;
import dev.verdant.report.Search;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real, capped search on the built-in all-MiniLM-L6-v2: the encoder's first candidate is int8 with padding
 * removal, built, checked on real glosses and timed side by side with the original on batches padded to their
 * longest text.
 */
class EncoderSearchTest {

    @TempDir
    Path work;

    @Test
    void anEncoderIsSearchedWithInt8AndPaddingRemovalOnBatchesPaddedToTheirLongest() {
        OptimizeRequest request = new OptimizeRequest(ModelRef.resolve(BuiltinModel.MINILM.modelName(), null),
                Datasets.WORDNET_NOUNS, List.of(), Objective.LATENCY,
                SearchBudget.of(Duration.ofHours(1)).withMaxCandidates(1), List.of(1), 8, 64, BatchPadding.LONGEST,
                16, 32, Duration.ofMillis(300), work, work.resolve("best.onnx"), "test", null, Map.of(), null, null, QualitySpec.none());

        Result result = new Optimizer(Tracker.builder().build(), ProcessMemory.current(), SearchListener.none(),
                System::nanoTime).run(request);

        Search search = result.search();
        assertThat(search.candidates()).extracting(Search.Candidate::id)
                .containsExactly(CandidatePlan.ORIGINAL_ID, "int8-dynamic,unpad");
        Search.Candidate unpadded = search.candidates().get(1);
        assertThat(unpadded.succeeded()).as(unpadded.error()).isTrue();
        // fidelity over real glosses: padding removal keeps every real token's output, int8 loses a little
        assertThat(unpadded.quality().minCosine()).isBetween(0.95, 1.0);
        assertThat(result.run().inputs()).contains("padded to each batch's longest text (at most 64 tokens)");
        assertThat(search.skipped()).contains("int8-dynamic", "fuse,unpad", "fuse", "int8-static");
    }
}
