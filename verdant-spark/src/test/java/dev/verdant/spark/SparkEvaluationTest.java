package dev.verdant.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.Part;
import dev.verdant.data.SystemData;
import dev.verdant.data.SystemDataAssumptions;
import dev.verdant.runtime.BlockScorer;
import dev.verdant.runtime.EvaluationBlock;
import dev.verdant.runtime.EvaluationSums;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SessionSpec;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Distributed evaluation on local[2] against the single-machine path, on the 10,000 Fashion-MNIST test images. */
class SparkEvaluationTest {

    @TempDir
    Path dir;

    @Test
    void onLocal2TheTenThousandTestImagesScoreExactlyAsOnOneMachine() {
        SystemDataAssumptions.assumeInstalled(SystemData.FASHION_MNIST);
        var source = Datasets.resolveImages(Datasets.FASHION_MNIST);
        ImageDataset test = source.load(Part.TEST);
        assertThat(test.size()).isEqualTo(10_000);
        ModelProto model = EvaluationModels.templateClassifier(source.load(Part.TRAIN), false);
        ModelProto baseline = EvaluationModels.templateClassifier(source.load(Part.TRAIN), true);
        List<EvaluationBlock> blocks = EvaluationBlock.of(test, 1_000);

        EvaluationSums single;
        try (OrtRunner m = OrtRunner.open(model, SessionSpec.threads(1));
                OrtRunner base = OrtRunner.open(baseline, SessionSpec.threads(1))) {
            single = BlockScorer.scoreAll(m, base, blocks, 64);
        }
        DistributedEvaluation.Run run = DistributedEvaluation.run("local[2]", blocks, model.toByteArray(),
                baseline.toByteArray(), 64, 1, dir);

        assertThat(run.sums()).isEqualTo(single);   // every count, the min, the max and the cosine sum, to the bit
        assertThat(single.examples()).isEqualTo(10_000);
        assertThat(single.labelled()).isEqualTo(10_000);
        assertThat(single.accuracy()).isBetween(0.5, 0.9);
        assertThat(single.minCosine()).isLessThan(1.0).isGreaterThan(0.99);
        assertThat(single.maxAbsDiff()).isPositive();
        assertThat(run.blocks()).isEqualTo(10);
        assertThat(run.rowsPerSecond()).isPositive();
        assertThat(run.energyJoules()).isPositive();
        assertThat(run.applicationJoules()).isGreaterThanOrEqualTo(run.energyJoules() * 0.5);
        assertThat(run.energyFile()).exists();
    }

    @Test
    void anUnreachableMasterIsOneLineWithItsAddress() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String master = "spark://127.0.0.1:" + port;
        assertThatThrownBy(() -> SparkMaster.checkReachable(master))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot reach the Spark master " + master + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        SparkMaster.checkReachable("local[2]");   // left to Spark
    }
}
