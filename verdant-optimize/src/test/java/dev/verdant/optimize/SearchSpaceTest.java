package dev.verdant.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.optimize.SearchSpace.ModelKind;
import dev.verdant.report.Search.ModelFacts;
import dev.verdant.report.Search.Quality;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {

    @Test
    void everySearchStartsWithTheOriginalAndCheapSpeedRecipesForEnergy() {
        List<String> encoder = ids(SearchSpace.fixedPlans(ModelKind.TEXT_ENCODER, Objective.ENERGY));
        assertThat(encoder.get(0)).isEqualTo(CandidatePlan.ORIGINAL_ID);
        // static and dynamic int8 and padding removal, on any encoder: int8 with unpad first, static int8 last
        assertThat(encoder).containsSubsequence("int8-dynamic,unpad", "int8-dynamic", "fuse,unpad", "fuse",
                "int8-static", "share:6bit");
        assertThat(encoder).doesNotHaveDuplicates();
        List<String> cnn = ids(SearchSpace.fixedPlans(ModelKind.CLASSIFIER, Objective.ENERGY));
        assertThat(cnn).containsSubsequence("original", "int8-static", "int8-static calibrate=percentile",
                "int8-static calibrate=entropy", "share:5bit", "prune:0.5,int8-static");
        assertThat(cnn).doesNotHaveDuplicates();
    }

    @Test
    void sizeObjectiveTriesSharingBeforeQuantizationAlone() {
        List<String> cnn = ids(SearchSpace.fixedPlans(ModelKind.CLASSIFIER, Objective.SIZE));
        assertThat(cnn.indexOf("share:5bit")).isLessThan(cnn.indexOf("int8-static"));
    }

    @Test
    void aBrokenInt8CandidateOpensKeepFloatFallbacksOfItsMostSensitiveLayers() {
        CandidatePlan int8 = CandidatePlan.of("int8-static", "test");
        CandidateResult broken = new CandidateResult(int8, null, "x.onnx",
                new ModelFacts(1, 1, 1, 1, 1), new Quality(0.5, 0.9, 0.9, 0.9, 10, null), List.of(),
                "estimated", List.of("conv2", "fc1", "conv1", "fc2", "fc3"), 1);
        List<CandidatePlan> before = SearchSpace.plans(ModelKind.CLASSIFIER, Objective.ENERGY, Map.of(), r -> true);
        List<CandidatePlan> after = SearchSpace.plans(ModelKind.CLASSIFIER, Objective.ENERGY,
                Map.of(int8.id(), broken), r -> true);
        assertThat(after).hasSize(before.size() + 3);   // keep 1, 2 and 4 in float; 8 would keep all 5
        List<String> ids = ids(after);
        assertThat(ids.subList(ids.indexOf("int8-static"), ids.indexOf("int8-static") + 4)).containsExactly(
                "int8-static", "int8-static keep-float=1", "int8-static keep-float=2", "int8-static keep-float=4");
        CandidatePlan keepTwo = after.get(ids.indexOf("int8-static keep-float=2"));
        assertThat(keepTwo.keepFloat()).containsExactly("conv2", "fc1");
        assertThat(keepTwo.options().keepFloat().patterns()).containsExactly("conv2", "fc1");
    }

    @Test
    void noFallbackWhenTheToleranceHeldOrPruningCausedTheLoss() {
        CandidatePlan int8 = CandidatePlan.of("int8-static", "test");
        CandidatePlan pruned = CandidatePlan.of("prune:0.5,int8-static", "test");
        CandidateResult held = new CandidateResult(int8, null, "x.onnx", new ModelFacts(1, 1, 1, 1, 1),
                new Quality(0.9, 0.9, 1.0, 1.0, 10, null), List.of(), "estimated", List.of("a", "b", "c"), 1);
        CandidateResult prunedBroken = new CandidateResult(pruned, null, "y.onnx",
                new ModelFacts(1, 1, 1, 1, 1), new Quality(0.5, 0.9, 0.5, 0.5, 10, null), List.of(),
                "estimated", List.of("a", "b", "c"), 1);
        int fixed = SearchSpace.fixedPlans(ModelKind.CLASSIFIER, Objective.ENERGY).size();
        assertThat(SearchSpace.plans(ModelKind.CLASSIFIER, Objective.ENERGY, Map.of(int8.id(), held), r -> false))
                .hasSize(fixed);
        assertThat(SearchSpace.plans(ModelKind.CLASSIFIER, Objective.ENERGY, Map.of(pruned.id(), prunedBroken),
                r -> true)).hasSize(fixed);
    }

    @Test
    void aNodeNameWithGlobCharactersIsMatchedLiterally() {
        CandidatePlan plan = CandidatePlan.of("int8-dynamic", "test").keepingFloat(List.of("/layer.0/*weird?"), "t");
        assertThat(plan.options().keepFloat().patterns()).containsExactly("regex:\\Q/layer.0/*weird?\\E");
    }

    private static List<String> ids(List<CandidatePlan> plans) {
        return plans.stream().map(CandidatePlan::id).toList();
    }
}
