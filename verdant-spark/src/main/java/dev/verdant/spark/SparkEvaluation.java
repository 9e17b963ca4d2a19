package dev.verdant.spark;

import dev.verdant.data.Batch;
import dev.verdant.data.BatchPadding;
import dev.verdant.data.TextTokenizer;
import dev.verdant.runtime.BlockScorer;
import dev.verdant.runtime.EvaluationBlock;
import dev.verdant.runtime.EvaluationSums;
import dev.verdant.runtime.OrtRunner;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Evaluates one model, or a model and its baseline, over data spread across a Spark cluster (examples as float
 * arrays, or texts a text model tokenizes on the executors): every block is scored
 * on an executor with {@link BlockScorer} (one ONNX Runtime session per model per executor, reused across tasks),
 * only its {@link EvaluationSums} travel back, and the driver merges them in block order with
 * {@link EvaluationSums#merge}, exactly as the single-machine path merges the same blocks. The models travel once
 * per executor as broadcast variables.
 *
 * <pre>{@code
 * EvaluationSums sums = SparkEvaluation.scoreTable(table, "pixels", "label", new long[] {1, 28, 28},
 *         Files.readAllBytes(model), null, 64, 1);
 * double accuracy = sums.accuracy();
 *
 * EvaluationSums fidelity = SparkEvaluation.scoreTexts(sentences, "text", null,
 *         Files.readAllBytes(tokenizerJson), 128, BatchPadding.LONGEST, Files.readAllBytes(int8Model),
 *         Files.readAllBytes(fp32Model), 32, 1);
 * double minCosine = fidelity.minCosine();
 * }</pre>
 */
public final class SparkEvaluation {

    private SparkEvaluation() {
    }

    /**
     * Scores the blocks, one Spark partition each, and merges their sums in block order.
     *
     * @param model     the ONNX model's bytes
     * @param baseline  the baseline's bytes, or null
     * @param batchSize examples per ONNX Runtime run within a block
     * @param threads   ONNX Runtime intra-op threads per session (1 leaves the cores to Spark's task slots)
     */
    public static EvaluationSums scoreBlocks(JavaSparkContext sc, List<EvaluationBlock> blocks, byte[] model,
            byte[] baseline, int batchSize, int threads) {
        JavaRDD<EvaluationBlock> rdd = sc.parallelize(blocks, Math.max(1, blocks.size()));
        Scorer scorer = Scorer.of(sc, model, baseline, batchSize, threads);
        List<Tuple2<Integer, EvaluationSums>> sums = rdd.mapPartitions(scorer::scoreBlocks).collect();
        return mergeInOrder(sums);
    }

    /**
     * Scores a table of the user's: one row per example, {@code featuresColumn} an array of floats (the example's
     * values, row-major in {@code sampleShape}), {@code labelColumn} an integer class or null for unlabelled data.
     * Each partition is one block, merged in partition order; the single-machine equivalent scores the same
     * partitions' rows as blocks in that order.
     */
    public static EvaluationSums scoreTable(Dataset<Row> table, String featuresColumn, String labelColumn,
            long[] sampleShape, byte[] model, byte[] baseline, int batchSize, int threads) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(table.sparkSession().sparkContext());
        Scorer scorer = Scorer.of(sc, model, baseline, batchSize, threads);
        Dataset<Row> columns = columns(table, featuresColumn, labelColumn);
        boolean labelled = labelColumn != null;
        long[] shape = sampleShape.clone();
        List<Tuple2<Integer, EvaluationSums>> sums = columns.javaRDD().mapPartitionsWithIndex(
                (index, rows) -> scorer.scoreRows(index, rows, labelled, shape), false).collect();
        return mergeInOrder(sums);
    }

    /**
     * Scores a table of texts of the user's with a text model (an encoder, or a text classifier): one row per
     * example, {@code textColumn} a string, {@code labelColumn} an integer class or null (or a null column name for
     * unlabelled texts). Each partition is one block, tokenized on the executor with the model's
     * {@code tokenizer.json} ({@link TextTokenizer}, truncated to {@code sequenceLength} tokens, batches padded as
     * {@code padding} says) and scored by {@link BlockScorer#scoreTexts}; with a baseline, the fidelity of the
     * embeddings (min and mean cosine, max abs diff) equals the single-machine {@code scoreTexts} of the same
     * partitions merged in order, to the last bit.
     *
     * @param tokenizer the bytes of the model's {@code tokenizer.json} (the baseline reads the same tokens)
     */
    public static EvaluationSums scoreTexts(Dataset<Row> table, String textColumn, String labelColumn,
            byte[] tokenizer, int sequenceLength, BatchPadding padding, byte[] model, byte[] baseline, int batchSize,
            int threads) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(table.sparkSession().sparkContext());
        Scorer scorer = Scorer.of(sc, model, baseline, batchSize, threads);
        TextReader reader = new TextReader(sc.broadcast(tokenizer), sequenceLength, padding);
        Dataset<Row> columns = columns(table, textColumn, labelColumn);
        boolean labelled = labelColumn != null;
        List<Tuple2<Integer, EvaluationSums>> sums = columns.javaRDD().mapPartitionsWithIndex(
                (index, rows) -> scorer.scoreTexts(index, rows, labelled, reader), false).collect();
        return mergeInOrder(sums);
    }

    /** How the executors read texts: the tokenizer's bytes (broadcast), the truncation and the padding. */
    private record TextReader(Broadcast<byte[]> tokenizer, int sequenceLength, BatchPadding padding)
            implements Serializable {
    }

    /** The example's column, and the label's when there is one. */
    private static Dataset<Row> columns(Dataset<Row> table, String examples, String labels) {
        return labels == null ? table.select(examples) : table.select(examples, labels);
    }

    private static EvaluationSums mergeInOrder(List<Tuple2<Integer, EvaluationSums>> sums) {
        List<Tuple2<Integer, EvaluationSums>> ordered = new ArrayList<>(sums);
        ordered.sort(Comparator.comparing(Tuple2::_1));
        return EvaluationSums.merge(ordered.stream().map(Tuple2::_2).toList());
    }

    /** The work of one task, sent to executors: the broadcast models and the batch size. */
    private record Scorer(Broadcast<byte[]> model, Broadcast<byte[]> baseline, int batchSize, int threads)
            implements Serializable {

        /** The models broadcast once to the executors. */
        static Scorer of(JavaSparkContext sc, byte[] model, byte[] baseline, int batchSize, int threads) {
            return new Scorer(sc.broadcast(model), baseline == null ? null : sc.broadcast(baseline), batchSize,
                    threads);
        }

        Iterator<Tuple2<Integer, EvaluationSums>> scoreBlocks(Iterator<EvaluationBlock> blocks) {
            List<Tuple2<Integer, EvaluationSums>> out = new ArrayList<>();
            while (blocks.hasNext()) {
                EvaluationBlock block = blocks.next();
                out.add(new Tuple2<>(block.index(), score(block)));
            }
            return out.iterator();
        }

        Iterator<Tuple2<Integer, EvaluationSums>> scoreRows(int index, Iterator<Row> rows, boolean labelled,
                long[] sampleShape) {
            List<float[]> examples = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            while (rows.hasNext()) {
                Row row = rows.next();
                List<Object> values = row.getList(0);
                float[] example = new float[values.size()];
                for (int i = 0; i < example.length; i++) {
                    example[i] = ((Number) values.get(i)).floatValue();
                }
                examples.add(example);
                labels.add(label(row, labelled));
            }
            if (examples.isEmpty()) {
                return List.<Tuple2<Integer, EvaluationSums>>of().iterator();
            }
            int width = examples.get(0).length;
            float[] features = new float[examples.size() * width];
            for (int i = 0; i < examples.size(); i++) {
                if (examples.get(i).length != width) {
                    throw new IllegalArgumentException("row " + i + " of partition " + index + " holds "
                            + examples.get(i).length + " values, the first row " + width);
                }
                System.arraycopy(examples.get(i), 0, features, i * width, width);
            }
            EvaluationBlock block = new EvaluationBlock(index, 0, features,
                    labels.stream().mapToInt(Integer::intValue).toArray(), sampleShape);
            return List.of(new Tuple2<>(index, score(block))).iterator();
        }

        Iterator<Tuple2<Integer, EvaluationSums>> scoreTexts(int index, Iterator<Row> rows, boolean labelled,
                TextReader reader) {
            List<String> texts = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            while (rows.hasNext()) {
                Row row = rows.next();
                if (row.isNullAt(0)) {
                    throw new IllegalArgumentException("row " + texts.size() + " of partition " + index
                            + " has no text");
                }
                texts.add(row.getString(0));
                labels.add(label(row, labelled));
            }
            if (texts.isEmpty()) {
                return List.<Tuple2<Integer, EvaluationSums>>of().iterator();
            }
            try (TextTokenizer tokenizer = TextTokenizer.load(ExecutorSessions.tokenizerFile(reader.tokenizer()
                    .value()), reader.sequenceLength())) {
                return List.of(new Tuple2<>(index, BlockScorer.scoreTexts(runner(), base(), tokenizer, texts,
                        labels.stream().mapToInt(Integer::intValue).toArray(), batchSize, reader.padding())))
                        .iterator();
            }
        }

        private static int label(Row row, boolean labelled) {
            return labelled && !row.isNullAt(1) ? ((Number) row.get(1)).intValue() : Batch.UNLABELLED;
        }

        private EvaluationSums score(EvaluationBlock block) {
            return BlockScorer.score(runner(), base(), block, batchSize);
        }

        /** This executor's session of the model. */
        private OrtRunner runner() {
            return ExecutorSessions.runner(model.value(), threads);
        }

        /** This executor's session of the baseline, or null. */
        private OrtRunner base() {
            return baseline == null ? null : ExecutorSessions.runner(baseline.value(), threads);
        }
    }
}
