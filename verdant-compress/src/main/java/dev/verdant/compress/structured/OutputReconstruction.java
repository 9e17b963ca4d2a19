package dev.verdant.compress.structured;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Second-order statistics of one output projection {@code Y = H W} on calibration tokens, enough to rank the groups
 * of input columns by what they add to the output and to re-fit the projection after pruning, without keeping the
 * activations: {@code G = [H 1]ᵀ[H 1]}, {@code C = [H 1]ᵀY} and {@code ‖Y‖²}.
 *
 * <p>The re-fit is the layer-wise reconstruction of Kwon et al. (2022, "A Fast Post-Training Pruning Framework for
 * Transformers"), which tunes one scale per kept head or neuron by linear least squares; here every weight of the
 * kept rows is re-fitted, plus a bias correction that absorbs the mean of what was removed. A ridge term pulls the
 * weights toward the original ones, so a few thousand tokens cannot over-fit 1,536 unknowns per output; the
 * system is solved by Cholesky in double (EJML).
 */
final class OutputReconstruction {

    /** The default ridge weight, relative to the mean diagonal of the kept columns' Gram matrix: the best of 1e-3, 1e-2 and 1e-1 on held-out WordNet glosses (MiniLM, 25% of FFN channels). */
    static final double DEFAULT_RIDGE = 1e-1;

    private final int columns;
    private final int width;
    // ((columns + 1), (columns + 1)): the last row and column are the constant 1, for the bias correction
    private final DMatrixRMaj gram;
    // ((columns + 1), width)
    private final DMatrixRMaj cross;
    private double targetEnergy;
    private long rows;

    /**
     * @param columns the projection's input columns (heads x head size, or feed-forward channels)
     * @param width   its output width
     */
    OutputReconstruction(int columns, int width) {
        this.columns = columns;
        this.width = width;
        this.gram = new DMatrixRMaj(columns + 1, columns + 1);
        this.cross = new DMatrixRMaj(columns + 1, width);
    }

    /**
     * Adds the rows {@code keep} of one batch: {@code hidden} is (rows, columns) and {@code target} (rows, width),
     * both row-major.
     */
    void add(float[] hidden, float[] target, int[] keep) {
        if (keep.length == 0) {
            return;
        }
        DMatrixRMaj h = new DMatrixRMaj(keep.length, columns + 1);
        DMatrixRMaj y = new DMatrixRMaj(keep.length, width);
        for (int r = 0; r < keep.length; r++) {
            int row = keep[r];
            for (int c = 0; c < columns; c++) {
                h.unsafe_set(r, c, hidden[row * columns + c]);
            }
            h.unsafe_set(r, columns, 1);
            for (int c = 0; c < width; c++) {
                double value = target[row * width + c];
                y.unsafe_set(r, c, value);
                targetEnergy += value * value;
            }
        }
        // hᵀh is symmetric: the inner product computes half of it
        DMatrixRMaj inner = new DMatrixRMaj(columns + 1, columns + 1);
        CommonOps_DDRM.multInner(h, inner);
        CommonOps_DDRM.addEquals(gram, inner);
        CommonOps_DDRM.multAddTransA(h, y, cross);
        rows += keep.length;
    }

    long rows() {
        return rows;
    }

    /**
     * How much each group of {@code groupSize} columns adds to the output: {@code ‖H_g W_g‖²} summed over the
     * calibration tokens, or with {@code centered} the same for the centred activations (what a bias correction
     * cannot make up for).
     *
     * @param weight the projection, (columns, width) row-major
     */
    double[] contributions(float[] weight, int groupSize, boolean centered) {
        int groups = columns / groupSize;
        double[] scores = new double[groups];
        double n = Math.max(1, rows);
        for (int g = 0; g < groups; g++) {
            double score = 0;
            for (int a = g * groupSize; a < (g + 1) * groupSize; a++) {
                for (int b = g * groupSize; b < (g + 1) * groupSize; b++) {
                    double moment = gram.get(a, b);
                    if (centered) {
                        moment -= gram.get(a, columns) * gram.get(b, columns) / n;
                    }
                    double dot = 0;
                    for (int c = 0; c < width; c++) {
                        dot += (double) weight[a * width + c] * weight[b * width + c];
                    }
                    score += moment * dot;
                }
            }
            scores[g] = score;
        }
        return scores;
    }

    /** The {@code keep} groups with the largest scores, ascending by index (ties keep the lower index). */
    static int[] strongest(double[] scores, int keep) {
        int[] kept = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(g -> -scores[g]).thenComparingInt(g -> g))
                .limit(keep).mapToInt(Integer::intValue).toArray();
        Arrays.sort(kept);
        return kept;
    }

    /** The input columns of the kept groups, then the constant column. */
    private int[] columnsOf(int[] keptGroups, int groupSize) {
        int[] indices = new int[keptGroups.length * groupSize + 1];
        for (int i = 0; i < keptGroups.length; i++) {
            for (int j = 0; j < groupSize; j++) {
                indices[i * groupSize + j] = keptGroups[i] * groupSize + j;
            }
        }
        indices[indices.length - 1] = columns;
        return indices;
    }

    /**
     * The kept rows of {@code weight} with a zero bias correction: plain pruning.
     *
     * @return (kept columns + 1, width): the kept rows, then the bias correction
     */
    Fit keep(float[] weight, int[] keptGroups, int groupSize) {
        int[] indices = columnsOf(keptGroups, groupSize);
        DMatrixRMaj theta = keptRows(weight, indices);
        return new Fit(theta, relativeError(theta, indices));
    }

    /** The rows {@code indices} of {@code weight} (the last index, the constant column, gets a zero row). */
    private DMatrixRMaj keptRows(float[] weight, int[] indices) {
        DMatrixRMaj theta = new DMatrixRMaj(indices.length, width);
        for (int i = 0; i < indices.length - 1; i++) {
            for (int c = 0; c < width; c++) {
                theta.unsafe_set(i, c, weight[indices[i] * width + c]);
            }
        }
        return theta;
    }

    /**
     * The least-squares re-fit of the kept rows and a bias correction, ridge-regularised toward the kept rows of
     * {@code weight}: {@code (G_KK + λD) Θ = C_K + λD Θ₀}, with D the identity on weights and 0 on the bias.
     */
    Fit refit(float[] weight, int[] keptGroups, int groupSize, double ridge) {
        int[] indices = columnsOf(keptGroups, groupSize);
        int n = indices.length;
        DMatrixRMaj prior = keptRows(weight, indices);
        DMatrixRMaj a = new DMatrixRMaj(n, n);
        CommonOps_DDRM.extract(gram, indices, n, indices, n, a);
        DMatrixRMaj b = new DMatrixRMaj(n, width);
        int[] all = IntStream.range(0, width).toArray();
        CommonOps_DDRM.extract(cross, indices, n, all, width, b);
        double trace = 0;
        for (int i = 0; i < n - 1; i++) {
            trace += a.get(i, i);
        }
        double lambda = ridge * Math.max(trace / Math.max(1, n - 1), 1e-12);
        for (int i = 0; i < n - 1; i++) {
            a.add(i, i, lambda);
            for (int c = 0; c < width; c++) {
                b.add(i, c, lambda * prior.get(i, c));
            }
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.chol(n);
        DMatrixRMaj theta = new DMatrixRMaj(n, width);
        if (!solver.setA(a)) {
            // positive definite in exact arithmetic (ridge > 0, and the constant column sees every token)
            throw new IllegalStateException("the reconstruction system is not positive definite ("
                    + rows + " calibration tokens); add calibration text");
        }
        solver.solve(b, theta);
        return new Fit(theta, relativeError(theta, indices));
    }

    /** {@code ‖[H_K 1] Θ − Y‖² / ‖Y‖²}, from the statistics alone. */
    private double relativeError(DMatrixRMaj theta, int[] indices) {
        int n = indices.length;
        DMatrixRMaj g = new DMatrixRMaj(n, n);
        CommonOps_DDRM.extract(gram, indices, n, indices, n, g);
        DMatrixRMaj c = new DMatrixRMaj(n, width);
        CommonOps_DDRM.extract(cross, indices, n, IntStream.range(0, width).toArray(), width, c);
        DMatrixRMaj gTheta = new DMatrixRMaj(n, width);
        CommonOps_DDRM.mult(g, theta, gTheta);
        double quadratic = frobenius(theta, gTheta);
        double linear = frobenius(theta, c);
        return targetEnergy == 0 ? 0 : Math.max(0, quadratic - 2 * linear + targetEnergy) / targetEnergy;
    }

    /** The Frobenius inner product: the sum of the elementwise products. */
    private static double frobenius(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj product = new DMatrixRMaj(a.getNumRows(), a.getNumCols());
        CommonOps_DDRM.elementMult(a, b, product);
        return CommonOps_DDRM.elementSum(product);
    }

    /**
     * A fitted projection.
     *
     * @param theta         (kept columns + 1, width): the new rows, then the bias correction
     * @param relativeError the squared error of the output over the calibration tokens, relative to its energy
     */
    record Fit(DMatrixRMaj theta, double relativeError) {

        /** The new weight rows, (kept columns, width) row-major. */
        float[] weight() {
            int rows = theta.getNumRows() - 1;
            int width = theta.getNumCols();
            float[] values = new float[rows * width];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < width; c++) {
                    values[r * width + c] = (float) theta.get(r, c);
                }
            }
            return values;
        }

        /** {@code bias} plus the fitted correction. */
        float[] bias(float[] bias) {
            float[] values = bias.clone();
            int last = theta.getNumRows() - 1;
            for (int c = 0; c < values.length; c++) {
                values[c] += (float) theta.get(last, c);
            }
            return values;
        }
    }
}
