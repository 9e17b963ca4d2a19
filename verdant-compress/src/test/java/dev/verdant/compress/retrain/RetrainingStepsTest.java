package dev.verdant.compress.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdant.compress.CompressionRequest;
import dev.verdant.compress.Compressor;
import dev.verdant.compress.Recipe;
import dev.verdant.compress.distill.DistillationPass;
import dev.verdant.compress.prune.MagnitudePruner;
import dev.verdant.compress.quantize.QuantizationOptions;
import dev.verdant.compress.structured.StructuredPruningPass;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.train.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retraining steps parse as users write them, settings after commas included, and refuse bad input. */
class RetrainingStepsTest {

    private static final TrainingSetup SETUP = new TrainingSetup("fashion-mnist-sample", 1, 1, "test");

    @Test
    void settingsStayWithTheirStep() {
        Recipe gradual = Recipe.parse("prune:0.92,gradual,epochs=3,share:5bit");
        assertThat(gradual.steps()).extracting(Recipe.Step::spec)
                .containsExactly("prune:0.92,gradual,epochs=3", "share:5bit");
        assertThat(gradual.retrains()).isTrue();
        assertThat(gradual.passes(QuantizationOptions.defaults(), SETUP).get(0))
                .isInstanceOf(GradualPruningPass.class);

        Recipe distill = Recipe.parse("distill:student=mobilenet,width=0.5,T=4,alpha=0.9");
        assertThat(distill.steps()).hasSize(1);
        assertThat(distill.passes(QuantizationOptions.defaults(), SETUP).get(0))
                .isInstanceOf(DistillationPass.class);

        assertThat(Recipe.parse("deep-compression,sparsity=0.95,fc=4").steps()).extracting(Recipe.Step::spec)
                .containsExactly("deep-compression:sparsity=0.95,fc=4");
        assertThat(Recipe.parse("deep-compression:bits=auto,tolerance=0.1,validation=2000").steps())
                .extracting(Recipe.Step::spec).containsExactly("deep-compression:bits=auto,tolerance=0.1,validation=2000");
        assertThat(Recipe.parse("deep-compression,bits=auto").passes(QuantizationOptions.defaults(), SETUP)
                .get(0)).isInstanceOf(DeepCompressionPass.class);
        assertThat(Recipe.parse("prune-structured:0.5").passes(QuantizationOptions.defaults(), SETUP).get(0))
                .isInstanceOf(StructuredPruningPass.class);
        // plain prune is still the post-training pass, and needs no data
        Recipe plain = Recipe.parse("prune:0.9");
        assertThat(plain.retrains()).isFalse();
        assertThat(plain.passes(QuantizationOptions.defaults()).get(0)).isInstanceOf(MagnitudePruner.class);
        assertThat(Recipe.parse("int8-qat").retrains()).isTrue();
        assertThat(Recipe.parse("distill:student=mlp,T=2,augment=shift2+flip").steps()).extracting(Recipe.Step::spec)
                .containsExactly("distill:student=mlp,T=2,augment=shift2+flip");
    }

    @Test
    void badSettingsFailWithOneLine() {
        for (String recipe : new String[] {"distill:student=mobilenet,temperature=4", "prune-structured:1.5",
                "deep-compression,fc=9", "int8-qat,epochs=0", "distill:student=resnet", "prune:2:4,gradual",
                "prune-structured", "int8-qat,epochs=two", "deep-compression:bits=9", "deep-compression:bits=some",
                "deep-compression:bits=auto,fc=4", "deep-compression:bits=5,tolerance=0.5", "deep-compression:bits=4,conv=8",
                "deep-compression:sparsity=0.9,overall=0.9", "deep-compression:sparsity=0.9,bits=5,validation=100",
                "deep-compression:overall=1.5", "deep-compression:sparsity=most",
                "deep-compression:bits=auto,validation=0", "deep-compression:bits=auto,tolerance=-1",
                "deep-compression:alpha=0,t=2", "deep-compression:alpha=1.5", "deep-compression:t=0",
                "distill:student=mlp,augment=rotate", "prune:0.9,gradual,augment=shift99"}) {
            assertThatThrownBy(() -> Recipe.parse(recipe)).as(recipe).isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void everyRetrainingRecipeWithoutDataFailsUpFrontAndWritesNothing(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("mlp.onnx");
        OnnxModels.write(Zoo.imageClassifier("mlp", 10, 1.0, 1).build(), model);
        for (String recipe : new String[] {"prune:0.92,gradual", "prune-structured:0.5", "int8-qat",
                "deep-compression", "distill:student=mlp"}) {
            Path out = dir.resolve("out.onnx");
            CompressionRequest request = CompressionRequest.builder(model.toString(), out, Recipe.parse(recipe))
                    .optThreads(1).optLatencyRounds(0).optMeasureEnergy(false).optVersion("test").build();
            assertThatThrownBy(() -> Compressor.run(request)).as(recipe).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("needs labelled training data: add --data");
            assertThat(Files.exists(out)).isFalse();
        }
    }
}
