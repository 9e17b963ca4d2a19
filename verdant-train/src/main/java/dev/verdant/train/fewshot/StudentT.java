package dev.verdant.train.fewshot;

/**
 * Quantiles of Student's t-distribution, for confidence intervals of a mean over few samples. The CDF comes from
 * the regularized incomplete beta function (continued fraction, Lentz's method); the quantile by bisection, which
 * is exact to 1e-10 and fast enough for one interval per run.
 */
public final class StudentT {

    private StudentT() {
    }

    /** The {@code p} quantile of the t-distribution with {@code degreesOfFreedom} (p in (0, 1), df &ge; 1). */
    public static double quantile(double p, double degreesOfFreedom) {
        if (!(p > 0 && p < 1) || !(degreesOfFreedom >= 1)) {
            throw new IllegalArgumentException("need 0 < p < 1 and df >= 1, got p=" + p + ", df=" + degreesOfFreedom);
        }
        if (p < 0.5) {
            return -quantile(1 - p, degreesOfFreedom);
        }
        double low = 0;
        double high = 1;
        while (cdf(high, degreesOfFreedom) < p) {
            high *= 2;
        }
        for (int i = 0; i < 200 && high - low > 1e-12; i++) {
            double mid = (low + high) / 2;
            if (cdf(mid, degreesOfFreedom) < p) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return (low + high) / 2;
    }

    /** P(T &le; t) for t-distributed T with {@code df} degrees of freedom. */
    public static double cdf(double t, double df) {
        double x = df / (df + t * t);
        double tail = 0.5 * incompleteBeta(df / 2, 0.5, x);
        return t >= 0 ? 1 - tail : tail;
    }

    /** The regularized incomplete beta function I_x(a, b). */
    static double incompleteBeta(double a, double b, double x) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
        // the continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise
        if (x < (a + 1) / (a + b + 2)) {
            return front * betaFraction(a, b, x) / a;
        }
        return 1 - front * betaFraction(b, a, 1 - x) / b;
    }

    private static double betaFraction(double a, double b, double x) {
        double tiny = 1e-300;
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < tiny ? tiny : d);
        double result = d;
        for (int m = 1; m <= 300; m++) {
            int m2 = 2 * m;
            double even = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 / nonZero(1 + even * d, tiny);
            c = nonZero(1 + even / c, tiny);
            result *= d * c;
            double odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 / nonZero(1 + odd * d, tiny);
            c = nonZero(1 + odd / c, tiny);
            double step = d * c;
            result *= step;
            if (Math.abs(step - 1) < 1e-15) {
                break;
            }
        }
        return result;
    }

    private static double nonZero(double value, double tiny) {
        return Math.abs(value) < tiny ? tiny : value;
    }

    /** ln Gamma(x) for x > 0 (Lanczos approximation, g = 7, 9 terms; relative error below 1e-13). */
    static double logGamma(double x) {
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        x -= 1;
        double sum = c[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) {
            sum += c[i] / (x + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
