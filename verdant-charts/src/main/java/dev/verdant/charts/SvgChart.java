package dev.verdant.charts;

import dev.verdant.report.SvgCharts;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.svg.SVGGraphics2D;

/**
 * A JFreeChart drawn as inline SVG text (JFreeSVG), in the look of Verdant's other pages: white plot, light grid,
 * the report's colour-blind-safe palette, legend at the top. Needs no display: AWT runs headless.
 */
final class SvgChart {

    static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    static final Color INK = new Color(0x1d2a22);
    static final Color GRID = new Color(0xe6ece8);
    static final Color FRAME = new Color(0x9aa9a0);

    private SvgChart() {
    }

    /** The palette's {@code i}-th colour (it repeats past its end). */
    static Color colour(int i) {
        List<String> palette = SvgCharts.PALETTE;
        return Color.decode(palette.get(i % palette.size()));
    }

    /** Applies Verdant's look to {@code chart}. */
    static JFreeChart styled(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        if (chart.getTitle() != null) {
            chart.getTitle().setFont(TITLE);
            chart.getTitle().setPaint(INK);
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setPosition(RectangleEdge.TOP);
            legend.setItemFont(TEXT);
            legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
        }
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(FRAME);
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(GRID);
            xy.setRangeGridlinePaint(GRID);
            xy.setDomainGridlineStroke(new BasicStroke(1f));
            xy.setRangeGridlineStroke(new BasicStroke(1f));
            font(xy.getDomainAxis());
            font(xy.getRangeAxis());
        } else if (plot instanceof CategoryPlot category) {
            category.setRangeGridlinePaint(GRID);
            category.setRangeGridlineStroke(new BasicStroke(1f));
            font(category.getDomainAxis());
            font(category.getRangeAxis());
        }
        return chart;
    }

    private static void font(org.jfree.chart.axis.Axis axis) {
        axis.setLabelFont(TEXT.deriveFont(13f));
        axis.setLabelPaint(INK);
        axis.setTickLabelFont(TEXT.deriveFont(11f));
        axis.setTickLabelPaint(new Color(0x4a5a50));
    }

    /**
     * The chart as an {@code <svg>} element with {@code id}, {@code width} x {@code height} user units, scaling to
     * its container ({@code class="chart"}) and titled {@code description} for screen readers.
     */
    static String svg(JFreeChart chart, String id, int width, int height, String description) {
        SVGGraphics2D g2 = new SVGGraphics2D(width, height);
        chart.draw(g2, new Rectangle2D.Double(0, 0, width, height));
        String svg = g2.getSVGElement(id);
        // scale with the page: drop the fixed size, keep the viewBox; the title is the accessible name
        int tagEnd = svg.indexOf('>');
        String open = svg.substring(0, tagEnd).replaceFirst(" width='[^']*'", "").replaceFirst(" height='[^']*'", "")
                .replaceFirst("<svg ", "<svg class=\"chart\" role=\"img\" aria-label=\""
                        + dev.verdant.report.HtmlText.escape(description) + "\" viewBox=\"0 0 " + width + " " + height
                        + "\" ");
        return open + svg.substring(tagEnd);
    }
}
