package dev.verdant.cli.option;

import dev.verdant.compress.QualitySpec;
import dev.verdant.quality.MetricRegistry;
import dev.verdant.quality.OutputTolerance;
import dev.verdant.runtime.StateLinks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How {@code compress} and {@code optimize} judge every output of a compressed model: {@code --tolerance} per output,
 * {@code --plugin} jars that bring more metrics, and {@code --state} for a model whose outputs feed its next
 * inputs. {@link #open()} parses them into a {@link QualitySpec}, loading the plugins; the caller closes its metric
 * registry when the run is over.
 */
public final class QualityOptions {

    @Option(names = "--tolerance", paramLabel = "OUT=METRIC>=X",
            description = "What output OUT must keep (repeatable; also <=): metrics cos, cos-mean, max-abs, max-rel, "
                    + "top1-agree, topK-overlap (top5-overlap), iou@T (iou@0.5) and any a --plugin brings, e.g. "
                    + "logits=top1-agree>=0.995. Without one, each output's kind has a default.")
    List<String> tolerances = new ArrayList<>();

    @Option(names = "--plugin", paramLabel = "PATH.jar",
            description = "A jar of quality metrics listed in META-INF/services/dev.verdant.quality.QualityMetric "
                    + "(repeatable).")
    List<Path> plugins = new ArrayList<>();

    @Option(names = "--state", paramLabel = "OUT=IN",
            description = "Output OUT of one step feeds input IN of the next (repeatable; e.g. stateN=state): the "
                    + "model runs as sequences from zero state and is compared over whole sequences.")
    List<String> states = new ArrayList<>();

    /** The plugin jars as given, for the run's files. */
    public List<Path> plugins() {
        return List.copyOf(plugins);
    }

    /**
     * The parsed tolerances and states with the metrics of the plugins loaded.
     *
     * @throws IllegalArgumentException with one line for a malformed value or a bad plugin jar
     */
    public QualitySpec open() {
        List<OutputTolerance> parsed = tolerances.stream().map(OutputTolerance::parse).toList();
        StateLinks links = StateLinks.parse(states);
        return new QualitySpec(parsed, links, MetricRegistry.withPlugins(plugins));
    }
}
