package dev.verdant.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdant.compress.fuse.TransformerFusionPass;
import dev.verdant.compress.quantize.DynamicQuantizationPass;
import dev.verdant.compress.quantize.QuantizationOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecipeTest {

    @Test
    void parsesStepsWithArgumentsInOrder() {
        Recipe recipe = Recipe.parse(" fuse , INT8-dynamic,prune:0.9,share:5bit,prune:2:4");
        assertThat(recipe.steps()).extracting(Recipe.Step::name)
                .containsExactly("fuse", "int8-dynamic", "prune", "share", "prune");
        assertThat(recipe.steps().get(4).argument()).isEqualTo("2:4");
        assertThat(recipe.spec()).isEqualTo("fuse,int8-dynamic,prune:0.9,share:5bit,prune:2:4");
    }

    @Test
    void aFuseBeforeInt8LeavesTheEmbeddingForTheQuantizer() {
        List<CompressionPass> passes = Recipe.parse("fuse,int8-dynamic")
                .passes(QuantizationOptions.defaults());
        assertThat(passes.get(0)).isInstanceOf(TransformerFusionPass.class);
        assertThat(passes.get(1)).isInstanceOf(DynamicQuantizationPass.class);
        assertThat(passes).extracting(CompressionPass::name).containsExactly("fuse", "int8-dynamic");
    }

    @Test
    void rejectsWhatDoesNotParseWithOneLine() {
        assertThatThrownBy(() -> Recipe.parse("quantize")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown recipe step 'quantize'").hasMessageContaining("int8-dynamic");
        assertThatThrownBy(() -> Recipe.parse("")).hasMessageContaining("empty recipe");
        assertThatThrownBy(() -> Recipe.parse("fuse,,int8-static")).hasMessageContaining("empty step");
        assertThatThrownBy(() -> Recipe.parse("fuse:3")).hasMessageContaining("takes no argument");
        assertThatThrownBy(() -> Recipe.parse("prune")).hasMessageContaining("needs a target");
        assertThatThrownBy(() -> Recipe.parse("prune:1.5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Recipe.parse("prune:-0.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Recipe.parse("share:12bit")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Recipe.parse("share:five")).isInstanceOf(IllegalArgumentException.class);
        for (String bad : List.of("quantize", "fuse:3", "prune:1.5", "share:five")) {
            assertThatThrownBy(() -> Recipe.parse(bad)).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void aStepTwiceOrTwoInt8StepsAreRefusedUpFrontNotAsANodeTheModelLacks() {
        assertThatThrownBy(() -> Recipe.parse("int8-dynamic,int8-dynamic")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("recipe 'int8-dynamic,int8-dynamic' names step 'int8-dynamic' twice; each of fuse, "
                        + "int8-dynamic, int8-static, int8-qat, unpad, share, deep-compression, distill applies once");
        assertThatThrownBy(() -> Recipe.parse("int8-dynamic,int8-static")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("quantizes twice (int8-dynamic, int8-static)");
        assertThat(Recipe.parse("prune:0.5,prune:0.9").steps()).hasSize(2);
        assertThat(Recipe.parse("int8-dynamic,unpad").steps()).hasSize(2);
    }
}
