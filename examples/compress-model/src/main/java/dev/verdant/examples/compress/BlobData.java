package dev.verdant.examples.compress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A labelled table of synthetic data: each class a Gaussian cloud around a centre of its own, reproducible from a
 * seed. It stands in for a team's own CSV file, which Verdant's {@code --data file.csv} reads the same way.
 *
 * @param features one row of features per example
 * @param labels   the class of each row
 */
public record BlobData(float[][] features, int[] labels) {

    /**
     * Draws a data set.
     *
     * @param rows     examples, cycling through the classes
     * @param width    features per example
     * @param classes  number of classes
     * @param noise    standard deviation around each class centre (the centres' own spread is 1)
     * @param seed     seeds every draw
     * @return the data
     */
    public static BlobData draw(int rows, int width, int classes, double noise, long seed) {
        Random random = new Random(seed);
        double[][] centres = new double[classes][width];
        for (double[] centre : centres) {
            for (int f = 0; f < width; f++) {
                centre[f] = random.nextGaussian();
            }
        }
        float[][] features = new float[rows][width];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = r % classes;
            for (int f = 0; f < width; f++) {
                features[r][f] = (float) (centres[labels[r]][f] + noise * random.nextGaussian());
            }
        }
        return new BlobData(features, labels);
    }

    /**
     * Writes the table as CSV: a header {@code f0,f1,...,label}, then one line per row.
     *
     * @param file where to write
     */
    public void writeCsv(Path file) {
        int width = features[0].length;
        List<String> lines = new ArrayList<>(features.length + 1);
        StringBuilder header = new StringBuilder();
        for (int f = 0; f < width; f++) {
            header.append('f').append(f).append(',');
        }
        lines.add(header.append("label").toString());
        for (int r = 0; r < features.length; r++) {
            StringBuilder line = new StringBuilder();
            for (float value : features[r]) {
                line.append(String.format(Locale.ROOT, "%.5f,", value));
            }
            lines.add(line.append(labels[r]).toString());
        }
        try {
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
