package dev.verdant.data;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns the label strings of a file (CSV cells, text-line labels) into int labels and class names. Class names are
 * sorted, numerically when every label is a number ({@code 2} before {@code 10}), so the numbering depends only on
 * which labels occur, not on the order of the lines.
 *
 * @param classNames the distinct labels, sorted
 * @param labels     the index into {@code classNames} of each raw label
 */
record LabelIndex(List<String> classNames, int[] labels) {

    static LabelIndex of(List<String> rawLabels) {
        boolean numeric = rawLabels.stream().allMatch(LabelIndex::isNumber);
        // "1" and "01" are the same number but different labels: the text breaks the tie so neither is lost.
        Comparator<String> order = numeric
                ? Comparator.comparing((String s) -> new BigDecimal(s)).thenComparing(Comparator.naturalOrder())
                : Comparator.naturalOrder();
        TreeSet<String> distinct = new TreeSet<>(order);
        distinct.addAll(rawLabels);
        List<String> classNames = new ArrayList<>(distinct);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < classNames.size(); i++) {
            index.put(classNames.get(i), i);
        }
        int[] labels = new int[rawLabels.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = index.get(rawLabels.get(i));
        }
        return new LabelIndex(List.copyOf(classNames), labels);
    }

    private static boolean isNumber(String s) {
        try {
            new BigDecimal(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Fails with one line unless every label lies in {@code [0, classNames.size())}. */
    static void check(String name, int[] labels, List<String> classNames) {
        if (classNames.isEmpty()) {
            throw new DataFormatException(name + " has no class names");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new DataFormatException(name + ": label " + labels[i] + " of sample " + i + " is outside [0, "
                        + classNames.size() + ")");
            }
        }
    }
}
