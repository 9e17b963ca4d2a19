package dev.verdant.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.EncoderInputs;
import dev.verdant.compress.Fidelity;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.data.Batch;
import dev.verdant.data.BatchPadding;
import dev.verdant.data.Datasets;
import dev.verdant.data.TextTokenizer;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.runtime.BlockScorer;
import dev.verdant.runtime.EvaluationSums;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SessionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The Java API on a table of texts, on local[2]: the published int8 all-MiniLM-L6-v2 against its fp32 original over
 * 48 WordNet glosses in three partitions, tokenized on the executor, against the single-machine scoring of the same
 * partitions and against {@code verdant compress}'s fidelity check of the same batches.
 */
class SparkTextEvaluationTest {

    private static final int SEQUENCE = 128;
    private static final int BATCH = 8;

    @Test
    void aColumnOfTextsScoresAsOnOneMachineToTheLastBit() throws Exception {
        List<String> texts = Datasets.resolveTexts(Datasets.WORDNET_NOUNS_SAMPLE).loadAll().texts().subList(0, 48);
        Path tokenizerFile = BuiltinModel.MINILM.tokenizerFile();
        ModelProto original = OnnxModels.read(BuiltinModel.MINILM.modelFile());
        ModelProto int8 = OnnxModels.read(BuiltinModel.MINILM_INT8.modelFile());

        List<List<String>> partitions = new ArrayList<>();
        EvaluationSums spark;
        SparkSession session = SparkSession.builder().config(SparkMaster.conf("local[2]").setAppName("texts"))
                .getOrCreate();
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.sparkContext());
            StructType schema = new StructType().add("text", DataTypes.StringType);
            Dataset<Row> table = session.createDataFrame(sc.parallelize(texts.stream()
                    .map(t -> RowFactory.create(t)).toList(), 3), schema);
            spark = SparkEvaluation.scoreTexts(table, "text", null, Files.readAllBytes(tokenizerFile), SEQUENCE,
                    BatchPadding.LONGEST, int8.toByteArray(), original.toByteArray(), BATCH, 1);
            for (List<Row> rows : table.javaRDD().glom().collect()) {
                partitions.add(rows.stream().map(r -> r.getString(0)).toList());
            }
        } finally {
            session.stop();
        }
        assertThat(partitions).hasSize(3).allMatch(p -> !p.isEmpty());

        // one machine: the same partitions as blocks, merged in order
        List<EvaluationSums> blocks = new ArrayList<>();
        Fidelity.Meter meter = new Fidelity.Meter();
        try (OrtRunner model = OrtRunner.open(int8, SessionSpec.threads(1));
                OrtRunner base = OrtRunner.open(original, SessionSpec.threads(1));
                TextTokenizer tokenizer = TextTokenizer.load(tokenizerFile, SEQUENCE)) {
            for (List<String> part : partitions) {
                int[] unlabelled = new int[part.size()];
                Arrays.fill(unlabelled, Batch.UNLABELLED);
                blocks.add(BlockScorer.scoreTexts(model, base, tokenizer, part, unlabelled, BATCH,
                        BatchPadding.LONGEST));
                // compress's own fidelity check on the same batches
                for (CalibrationSample sample : EncoderInputs.batches(original, tokenizerFile, part, BATCH, SEQUENCE,
                        BatchPadding.LONGEST)) {
                    meter.add(base.run(sample.inputs()), model.run(sample.inputs()), sample);
                }
            }
        }
        EvaluationSums single = EvaluationSums.merge(blocks);

        assertThat(spark).isEqualTo(single);   // every figure, the cosine sum included, to the bit
        assertThat(single.examples()).isEqualTo(48);
        assertThat(single.compared()).isEqualTo(48);
        assertThat(single.labelled()).isZero();
        assertThat(single.minCosine()).isBetween(0.9, 1.0).isLessThan(1.0);
        assertThat(single.maxAbsDiff()).isPositive();
        Fidelity fidelity = meter.result();
        assertThat(fidelity.examples()).isEqualTo(48);
        assertThat(single.minCosine()).isEqualTo(fidelity.minCosine());
        assertThat(single.meanCosine()).isCloseTo(fidelity.meanCosine(), within(1e-12));
    }
}
