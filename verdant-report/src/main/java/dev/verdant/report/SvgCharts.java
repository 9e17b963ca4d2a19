package dev.verdant.report;

import static dev.verdant.report.HtmlText.escape;

import dev.verdant.report.ParetoFront.Objective;
import dev.verdant.report.ParetoFront.Objectives;
import dev.verdant.report.Report.Candidate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Charts drawn as inline SVG text: a Pareto scatter of two objectives with the front highlighted, and horizontal
 * bars. No script and no external resource, so they render wherever the HTML file is opened.
 */
public final class SvgCharts {

    /** Series colours, chosen to stay apart for the common forms of colour blindness. */
    public static final List<String> PALETTE = List.of("#1b7837", "#2166ac", "#d6604d", "#762a83", "#b8860b", "#01665e");

    private static final int WIDTH = 900;
    private static final int HEIGHT = 460;
    private static final int LEFT = 78;
    private static final int RIGHT = 24;
    // room above the plot for the legend, so it never hides a point
    private static final int TOP = 44;
    private static final int BOTTOM = 58;
    private static final int BAR_WIDTH = 560;
    private static final int BAR_LABEL_WIDTH = 170;

    private SvgCharts() {
    }

    /** One bar: its label and value, in the chart's unit. */
    public record Bar(String label, double value, String colour) {
    }

    /**
     * A scatter of every candidate on the two objectives, coloured by model; the front's points are filled, joined
     * and labelled, the others hollow. Each point has a tooltip with its figures.
     */
    public static String pareto(List<Candidate> candidates, Objectives objectives) {
        Objective xo = objectives.x();
        Objective yo = objectives.y();
        double[] xs = candidates.stream().mapToDouble(c -> xo.display(xo.value(c).orElseThrow())).toArray();
        double[] ys = candidates.stream().mapToDouble(c -> yo.display(yo.value(c).orElseThrow())).toArray();
        Axis x = Axis.of(xs, LEFT, WIDTH - RIGHT);
        Axis y = Axis.of(ys, HEIGHT - BOTTOM, TOP);
        Map<String, String> colours = colours(candidates);
        StringBuilder svg = open("pareto-chart", WIDTH, HEIGHT, "Pareto chart of " + yo.axisTitle() + " against "
                + xo.axisTitle());
        grid(svg, x, y, xo.axisTitle(), yo.axisTitle());
        // the direction that wins, so the reader need not work it out from the axes
        boolean betterUp = yo.higherIsBetter();
        svg.append(String.format(Locale.ROOT, "<text class=\"better\" x=\"%d\" y=\"%d\">%s better</text>%n",
                LEFT + 8, betterUp ? TOP + 14 : HEIGHT - BOTTOM - 8, betterUp ? "↖" : "↙"));
        List<Integer> front = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i).pareto()) {
                front.add(i);
            }
        }
        front.sort(Comparator.comparingDouble(i -> xs[i]));
        if (front.size() > 1) {
            svg.append("<polyline class=\"front-line\" points=\"");
            for (int i : front) {
                svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.at(xs[i]), y.at(ys[i])));
            }
            svg.append("\"/>\n");
        }
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            String colour = colours.get(c.model());
            String tooltip = c.name() + (c.configuration() == null ? "" : " (" + c.configuration() + ")") + "\n"
                    + xo.axisTitle() + ": " + HtmlText.number(xs[i], 4) + "\n" + yo.axisTitle() + ": "
                    + HtmlText.number(ys[i], 4) + (c.pareto() ? "\non the Pareto front" : "");
            svg.append(String.format(Locale.ROOT,
                    "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\" stroke=\"%s\"><title>%s</title>"
                            + "</circle>%n",
                    c.pareto() ? "point front" : "point", x.at(xs[i]), y.at(ys[i]), c.pareto() ? 7 : 5,
                    c.pareto() ? colour : "#ffffff", colour, escape(tooltip)));
        }
        for (int k = 0; k < front.size(); k++) {
            int i = front.get(k);
            double px = x.at(xs[i]);
            boolean leftSide = px > WIDTH * 0.7;
            // neighbours on the front alternate above and below their point, so close points keep readable labels
            double dy = k % 2 == 0 ? -10 : 18;
            svg.append(String.format(Locale.ROOT, "<text class=\"point-label\" x=\"%.1f\" y=\"%.1f\"%s>%s</text>%n",
                    px + (leftSide ? -10 : 10), y.at(ys[i]) + dy, leftSide ? " text-anchor=\"end\"" : "",
                    escape(candidates.get(i).name())));
        }
        legend(svg, colours);
        return svg.append("</svg>\n").toString();
    }

    /** Horizontal bars with their values written at the end, scaled from zero. */
    public static String bars(String id, String title, String unit, List<Bar> bars) {
        int rowHeight = 24;
        int labelWidth = BAR_LABEL_WIDTH;
        int top = 10;
        int height = top + bars.size() * rowHeight + 10;
        double max = bars.stream().mapToDouble(Bar::value).filter(Double::isFinite).max().orElse(1);
        Axis x = Axis.of(new double[] {0, max <= 0 ? 1 : max}, labelWidth, BAR_WIDTH - 90);
        StringBuilder svg = open(id, BAR_WIDTH, height, title);
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            double rowTop = top + i * rowHeight;
            double value = Double.isFinite(bar.value()) ? Math.max(0, bar.value()) : 0;
            svg.append(String.format(Locale.ROOT, "<text class=\"bar-label\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">"
                    + "%s</text>%n", labelWidth - 8, rowTop + 15, escape(abbreviate(bar.label(), 26))));
            svg.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" "
                    + "fill=\"%s\"><title>%s: %s %s</title></rect>%n", labelWidth, rowTop + 3,
                    Math.max(1, x.at(value) - labelWidth), rowHeight - 7, bar.colour(), escape(bar.label()),
                    HtmlText.number(bar.value(), 4), escape(unit)));
            svg.append(String.format(Locale.ROOT, "<text class=\"bar-value\" x=\"%.1f\" y=\"%.1f\">%s %s</text>%n",
                    x.at(value) + 6, rowTop + 15, HtmlText.number(bar.value(), 4), escape(unit)));
        }
        return svg.append("</svg>\n").toString();
    }

    /** One colour per model, in order of first appearance. */
    static Map<String, String> colours(List<Candidate> candidates) {
        Map<String, String> colours = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            colours.computeIfAbsent(c.model(), k -> PALETTE.get(colours.size() % PALETTE.size()));
        }
        return colours;
    }

    private static StringBuilder open(String id, int width, int height, String title) {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg id=\"%s\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
                + "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">%n", id, width,
                height, width, height, escape(title)));
        return svg.append("<title>").append(escape(title)).append("</title>\n");
    }

    private static void grid(StringBuilder svg, Axis x, Axis y, String xTitle, String yTitle) {
        for (double t : x.ticks()) {
            svg.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                    + "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x.at(t), TOP,
                    x.at(t), HEIGHT - BOTTOM, x.at(t), HEIGHT - BOTTOM + 18, x.label(t)));
        }
        for (double t : y.ticks()) {
            svg.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                    + "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, y.at(t),
                    WIDTH - RIGHT, y.at(t), LEFT - 8, y.at(t) + 4, y.label(t)));
        }
        svg.append(String.format(Locale.ROOT, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>%n",
                LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM));
        svg.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s"
                + "</text>%n", (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 14, escape(xTitle)));
        svg.append(String.format(Locale.ROOT, "<text class=\"axis-title\" transform=\"translate(18 %d) rotate(-90)\" "
                + "text-anchor=\"middle\">%s</text>%n", (TOP + HEIGHT - BOTTOM) / 2, escape(yTitle)));
    }

    /** One entry a model, left to right in the strip above the plot. */
    private static void legend(StringBuilder svg, Map<String, String> colours) {
        double x = LEFT;
        for (Map.Entry<String, String> entry : colours.entrySet()) {
            String name = abbreviate(entry.getKey(), 40);
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%d\" r=\"5\" fill=\"%s\"/>"
                    + "<text class=\"legend\" x=\"%.1f\" y=\"%d\">%s</text>%n", x + 5, TOP - 18,
                    entry.getValue(), x + 14, TOP - 14, escape(name)));
            x += 34 + name.length() * 7;
        }
        svg.append(String.format(Locale.ROOT, "<text class=\"legend\" x=\"%d\" y=\"%d\" text-anchor=\"end\">"
                + "filled = on the Pareto front, hollow = dominated</text>%n", WIDTH - RIGHT, TOP - 14));
    }

    /** {@code text} cut to {@code width} characters; a label a hand-edited file left out shows as nothing. */
    private static String abbreviate(String text, int width) {
        if (text == null) {
            return "";
        }
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }

    /**
     * A linear axis over a data range padded to round ticks.
     *
     * @param low     the smallest value shown
     * @param high    the largest value shown
     * @param step    the tick spacing
     * @param from    the pixel of {@code low}
     * @param to      the pixel of {@code high}
     */
    record Axis(double low, double high, double step, double from, double to) {

        static Axis of(double[] values, double from, double to) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (!(max > min)) {
                double pad = Math.abs(max) > 0 ? Math.abs(max) * 0.1 : 1;
                min -= pad;
                max += pad;
            } else {
                // a margin so no point sits on the frame, but a non-negative range never dips below zero
                double pad = (max - min) * 0.08;
                min = min >= 0 && min - pad < 0 ? 0 : min - pad;
                max += pad;
            }
            double step = niceStep((max - min) / 5);
            double low = Math.floor(min / step) * step;
            double high = Math.ceil(max / step) * step;
            return new Axis(low, high, step, from, to);
        }

        /** 1, 2 or 5 times a power of ten, the nearest at or above {@code raw}. */
        static double niceStep(double raw) {
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double fraction = raw / magnitude;
            double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
            return nice * magnitude;
        }

        double at(double value) {
            return from + (value - low) / (high - low) * (to - from);
        }

        /** A tick's text with as many decimals as the step needs, and no more. */
        String label(double tick) {
            int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
            return String.format(Locale.ROOT, "%,." + decimals + "f", tick);
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            for (int i = 0; low + i * step <= high + step * 1e-9; i++) {
                ticks.add(low + i * step);
            }
            return ticks;
        }
    }
}
