package dev.verdant.compress.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassOutput;
import dev.verdant.compress.Recipe;
import dev.verdant.compress.quantize.QuantizationOptions;
import dev.verdant.compress.retrain.Retrainer;
import dev.verdant.compress.retrain.RetrainingOptions;
import dev.verdant.compress.retrain.TrainingSetup;
import dev.verdant.data.Batch;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.runtime.OrtClassifier;
import dev.verdant.train.TrainConfig;
import dev.verdant.train.Trainer;
import dev.verdant.train.zoo.Zoo;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Distillation moves the student's predictions towards the teacher's on the data it trains on. */
class DistillationPassTest {

    @Test
    void distillationReducesTheKlToTheTeacherOnATrainingBatch() {
        ImageDataset images = Datasets.resolveImages(Datasets.FASHION_MNIST_SAMPLE).loadAll();
        ImageDataset train = images.subset(800);
        ModelProto teacher = new Trainer(TrainConfig.builder().setEpochs(2).optSeed(3).build())
                .fit(Zoo.imageClassifier("lenet5", 10, 1.0, 3).build(), "zoo:lenet5", train, images.select(
                        java.util.stream.IntStream.range(800, 1000).toArray())).model();
        TrainingSetup setup = new TrainingSetup(Datasets.FASHION_MNIST_SAMPLE, 2, 11, "test");
        DistillationPass pass = new DistillationPass("mlp", 1.0, 4f, 1f, true, Optional.empty(),
                new RetrainingOptions(3, 2e-3f, 64, 0),
                setup);
        PassOutput output = pass.apply(teacher, PassContext.withoutData(0));
        ModelProto untrained = Zoo.imageClassifier("mlp", 10, 1.0, 11).build();

        Batch batch = images.batch(0, 128);
        double before = klToTeacher(teacher, untrained, batch, 4);
        double after = klToTeacher(teacher, output.model(), batch, 4);
        assertThat(after).isLessThan(before / 2);
        assertThat((double) output.facts().get("macsRatio")).isPositive();
        assertThat(output.facts().get("student")).isEqualTo("zoo:mlp");
        // the teacher ran once over the training samples, which the two later epochs did not pay again
        int trainingSamples = new Retrainer(setup, "distill", 0).data().train().size();
        assertThat(output.facts().get("teacher")).isEqualTo("teacher logits cached over " + trainingSamples
                + " samples");
        assertThat((double) output.facts().get("teacherEnergySavedJoules"))
                .isEqualTo(2 * (double) output.facts().get("teacherCacheEnergyJoules"));
    }

    /**
     * {@code examples=200,transfer=rest}: the student trains on 200 labelled images and, through the teacher alone,
     * on the other training images; the held-out images stay out of both.
     */
    @Test
    void transferRestTrainsOnTheTrainingImagesBeyondTheLabellingBudget() {
        TrainingSetup setup = new TrainingSetup(Datasets.FASHION_MNIST_SAMPLE, 2, 11, "test");
        Retrainer budget = new Retrainer(setup, "distill", 200);
        ImageDataset labelled = budget.data().train();
        ImageDataset rest = budget.unusedTraining().orElseThrow();
        int trainingPart = new Retrainer(setup, "distill", 0).data().train().size();
        assertThat(labelled.size()).isEqualTo(200);
        assertThat(rest.size()).isEqualTo(trainingPart - 200);
        assertThat(new Retrainer(setup, "distill", 0).unusedTraining()).isEmpty();
        ModelProto teacher = Zoo.imageClassifier("lenet5", 10, 1.0, 3).build();
        PassOutput output = ((DistillationPass) Recipe.parse("distill:student=mlp,T=2,alpha=0.5,epochs=1,"
                + "examples=200,transfer=rest").passes(QuantizationOptions.defaults(), setup).get(0))
                .apply(teacher, PassContext.withoutData(0));
        assertThat(output.facts().get("labelledSamples")).isEqualTo(200);
        assertThat(output.facts().get("unlabelledSamples")).isEqualTo(trainingPart - 200);
        assertThat(output.facts().get("teacher")).isEqualTo("teacher logits cached over " + trainingPart
                + " samples");
        assertThat(output.facts().get("distillSteps")).isEqualTo((long) ((trainingPart + 63) / 64));
    }

    @Test
    void aTransferSetIsRefusedUpFrontWhereItCannotWork() {
        TrainingSetup setup = new TrainingSetup(Datasets.FASHION_MNIST_SAMPLE, 1, 1, "test");
        assertThatThrownBy(() -> Recipe.parse("distill:student=mlp,transfer=rest"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("distill: transfer=rest takes the training images beyond a labelling budget: add "
                        + "examples=N (e.g. examples=6000,transfer=rest)");
        assertThatThrownBy(() -> Recipe.parse("distill:student=mlp,alpha=0,examples=100,transfer=rest"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha=0");
        assertThatThrownBy(() -> Recipe.parse("distill:student=mlp,transfer="))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transfer= needs rest or a");
        ModelProto teacher = Zoo.imageClassifier("mlp", 10, 1.0, 1).build();
        DistillationPass itself = (DistillationPass) Recipe.parse("distill:student=mlp,transfer="
                + Datasets.FASHION_MNIST_SAMPLE).passes(QuantizationOptions.defaults(), setup).get(0);
        assertThatThrownBy(() -> itself.apply(teacher, PassContext.withoutData(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is the --data set itself; for its images beyond a labelling budget use "
                        + "transfer=rest");
        DistillationPass all = (DistillationPass) Recipe.parse("distill:student=mlp,examples=100000,transfer=rest")
                .passes(QuantizationOptions.defaults(), setup).get(0);
        assertThatThrownBy(() -> all.apply(teacher, PassContext.withoutData(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("and there are none");
    }

    @Test
    void theCacheSettingIsTrueOrFalseAndNothingElse() {
        assertThat(Recipe.parse("distill:student=mlp,cache=false").passes(QuantizationOptions.defaults(),
                new TrainingSetup(Datasets.FASHION_MNIST_SAMPLE, 1, 1, "test")).get(0))
                .isInstanceOf(DistillationPass.class);
        assertThatThrownBy(() -> Recipe.parse("distill:student=mlp,cache=maybe"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("recipe step 'distill': cache must be true or false, got 'maybe'");
    }

    @Test
    void aTeacherThatOutputsProbabilitiesIsRefused() {
        ModelProto mlp = Zoo.imageClassifier("mlp", 10, 1.0, 1).build();
        GraphProto graph = mlp.getGraph();
        ModelProto withSoftmax = mlp.toBuilder().setGraph(graph.toBuilder()
                .addNode(NodeProto.newBuilder().setOpType("Softmax").setName("softmax")
                        .addInput(graph.getOutput(0).getName()).addOutput("probabilities"))
                .setOutput(0, graph.getOutput(0).toBuilder().setName("probabilities"))).build();
        DistillationPass pass = new DistillationPass("mlp", 1.0, 4f, 0.9f, true, Optional.empty(),
                new RetrainingOptions(1, 1e-3f, 64, 0),
                new TrainingSetup(Datasets.FASHION_MNIST_SAMPLE, 1, 1, "test"));
        pass.validate(OnnxGraph.of(mlp));
        assertThatThrownBy(() -> pass.validate(OnnxGraph.of(withSoftmax)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("distill reads logits, but the teacher's output 'probabilities' is a Softmax of them: give"
                        + " the model without its final Softmax");
    }

    /** Mean KL(softmax(teacher/T) || softmax(student/T)) over the batch, computed in ONNX Runtime. */
    private static double klToTeacher(ModelProto teacher, ModelProto student, Batch batch, double temperature) {
        try (OrtClassifier t = OrtClassifier.load(teacher, 1); OrtClassifier s = OrtClassifier.load(student, 1)) {
            float[][] p = t.logits(batch);
            float[][] q = s.logits(batch);
            double sum = 0;
            for (int i = 0; i < p.length; i++) {
                double[] logP = logSoftmax(p[i], temperature);
                double[] logQ = logSoftmax(q[i], temperature);
                for (int c = 0; c < logP.length; c++) {
                    sum += Math.exp(logP[c]) * (logP[c] - logQ[c]);
                }
            }
            return sum / p.length;
        }
    }

    private static double[] logSoftmax(float[] logits, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v / temperature);
        }
        double total = 0;
        for (float v : logits) {
            total += Math.exp(v / temperature - max);
        }
        double log = Math.log(total) + max;
        double[] out = new double[logits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = logits[i] / temperature - log;
        }
        return out;
    }
}
