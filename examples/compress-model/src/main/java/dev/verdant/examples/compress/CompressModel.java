package dev.verdant.examples.compress;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.CompressionRequest;
import dev.verdant.compress.Compressor;

import dev.verdant.compress.Recipe;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.report.Compression;
import dev.verdant.report.Compression.Accuracy;
import dev.verdant.report.Compression.Check;
import dev.verdant.report.Compression.Fidelity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Compresses a model through Verdant's Java API and reads the report: a small classifier (built here, see
 * {@link CentroidClassifier}) goes through the {@code int8-dynamic} recipe, with a labelled CSV as the data the
 * result is checked on in ONNX Runtime. Prints the sizes before and after, the accuracy of both models and their
 * output fidelity, and whether the tolerance held.
 */
public final class CompressModel {

    private static final int WIDTH = 64;
    private static final int CLASSES = 4;
    private static final int CALIBRATION_ROWS = 200;
    private static final int CHECK_ROWS = 800;

    private CompressModel() {
    }

    /**
     * Runs the example.
     *
     * @param args the folder to write the data and both models to (default {@code target/compress-model})
     * @throws Exception if a file cannot be written
     */
    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "target/compress-model"));
        // a table without predefined parts is split as verdant train splits it: compress calibrates on the training
        // four fifths and checks on the held-out fifth, so the table holds five times the check rows
        BlobData data = BlobData.draw(5 * CHECK_ROWS, WIDTH, CLASSES, 2.5, 42);
        Path csv = work.resolve("blobs.csv");
        data.writeCsv(csv);

        // the read-out is fitted on the calibration rows only; the compress run checks on the rows after them
        BlobData training = new BlobData(Arrays.copyOf(data.features(), CALIBRATION_ROWS),
                Arrays.copyOf(data.labels(), CALIBRATION_ROWS));
        ModelProto model = new CentroidClassifier(WIDTH, 512, CLASSES).fit(training, 7);
        Path input = work.resolve("classifier.onnx");
        OnnxModels.write(model, input);

        CompressionRequest request = CompressionRequest.builder(input.toString(),
                work.resolve("classifier-int8.onnx"), Recipe.parse("int8-dynamic")).optData(csv.toString())
                .optExamples(CALIBRATION_ROWS, CHECK_ROWS).optTolerances(1.0, null).optThreads(1).optBatchSize(32)
                .optSequenceLength(2).optMeasureEnergy(false).optVersion("example").build();
        Compression report = Compressor.run(request).compression();


        System.out.printf(Locale.ROOT, "recipe: %s on %s%n", report.recipe(), input.getFileName());
        System.out.printf(Locale.ROOT, "size: %,d bytes -> %,d bytes (%.2fx smaller)%n", report.original().bytes(),
                report.compressed().bytes(), report.sizeRatio());
        Accuracy accuracy = report.accuracy();
        System.out.printf(Locale.ROOT, "accuracy (ONNX Runtime, %d check rows): %.2f %% -> %.2f %% (drop %.2f points)%n",
                accuracy.examples(), 100 * accuracy.original(), 100 * accuracy.compressed(), accuracy.dropPoints());
        Fidelity fidelity = report.fidelity();
        System.out.printf(Locale.ROOT, "fidelity: min cosine %.5f, mean cosine %.5f, max abs diff %.4f%n",
                fidelity.minCosine(), fidelity.meanCosine(), fidelity.maxAbsDiff());
        for (Check check : report.checks()) {
            System.out.printf(Locale.ROOT, "check %s (limit %.2f, got %.2f): %s%n", check.name(), check.limit(),
                    check.actual(), check.passed() ? "passed" : "FAILED");
        }
        System.out.println("written: " + report.output());
    }
}
