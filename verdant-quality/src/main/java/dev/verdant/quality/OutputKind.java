package dev.verdant.quality;

import java.util.List;

/**
 * What an output looks like, judged from one example's shape and the range of the original's values: it decides
 * which measures its row shows and, when the user states no tolerance, the one it is held to.
 */
public enum OutputKind {
    /**
     * One vector of class scores per example, e.g. {@code 1x10}, or of class probabilities (rows summing to 1):
     * argmax agreement.
     */
    LOGITS("top1-agree>=0.99"),
    /** A vector of class probabilities per position, e.g. a text recogniser's {@code 1x40x6625}: argmax agreement. */
    CLASS_SEQUENCE("top1-agree>=0.99"),
    /** A map of probabilities in [0, 1], e.g. a text detector's {@code 1x1x640x640}: IoU of the map above 0.5. */
    PROBABILITY_MAP("iou@0.5>=0.9"),
    /** A single probability per step in [0, 1], e.g. a voice-activity score: absolute error. */
    PROBABILITY("max-abs<=0.05"),
    /** A single value per step of any range (a regressor, a ranker's score): relative error. */
    SCORE("max-rel<=0.05"),
    /**
     * Anything else (features, embeddings, hidden states; a vector per example whose values all stay in [-1, 1] and
     * do not sum to 1): cosine per example.
     */
    FEATURES("cos>=0.99");

    private final String defaultBound;

    OutputKind(String defaultBound) {
        this.defaultBound = defaultBound;
    }

    /** The tolerance an output of this kind is held to when none is stated, e.g. {@code cos>=0.99}. */
    public OutputTolerance defaultTolerance(String output) {
        return OutputTolerance.parse(output + "=" + defaultBound);
    }

    /** The report's name of the kind: {@code probability-map}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * The kind of an output.
     *
     * @param shape       one example's shape, batch axis included (at 1), of one step
     * @param min         the original's smallest value over the check set
     * @param max         its largest
     * @param rowsSumToOne whether every row along the last axis of the original's values sums to 1 (softmax)
     */
    public static OutputKind of(long[] shape, double min, double max, boolean rowsSumToOne) {
        List<Long> dims = new java.util.ArrayList<>();
        for (int i = 1; i < shape.length; i++) {
            dims.add(shape[i]);
        }
        long size = dims.stream().reduce(1L, Math::multiplyExact);
        boolean unit = min >= 0 && max <= 1;
        if (size == 1) {
            return unit ? PROBABILITY : SCORE;
        }
        if (dims.size() == 1) {
            // a vector that never leaves [-1, 1] and is not a softmax is an embedding (a BERT pooler's tanh, a
            // normalized sentence vector): a trained classifier's scores spread beyond it
            return !rowsSumToOne && min >= -1 && max <= 1 ? FEATURES : LOGITS;
        }
        if (dims.size() == 2 && rowsSumToOne && dims.get(1) > 1) {
            return CLASS_SEQUENCE;
        }
        if (dims.size() >= 3 && unit && dims.get(dims.size() - 1) > 1 && dims.get(dims.size() - 2) > 1) {
            return PROBABILITY_MAP;
        }
        return FEATURES;
    }

    /** The measures a row of this kind shows beside {@code cos}, {@code cos-mean}, {@code max-abs}, {@code max-rel}. */
    List<String> extraMeasures(int classes) {
        return switch (this) {
            case LOGITS, CLASS_SEQUENCE -> classes > 5 ? List.of("top1-agree", "top5-overlap") : List.of("top1-agree");
            case PROBABILITY_MAP -> List.of("iou@0.5");
            default -> List.of();
        };
    }
}
