package dev.verdant.cli.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.verdant.io.MessageText;
import dev.verdant.runtime.inspect.TensorDescription;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The starter config {@code verdant init} writes for {@code verdant optimize}: the model, what inspect sees of its
 * inputs and outputs (as comments), a tolerance per output suggested by the output's kind in the
 * {@code OUT=METRIC>=X} syntax of {@code --tolerance}, an objective and a budget. Every key it writes is checked
 * against the command's keys ({@link ConfigKeys}): one the command does not have (yet) is written as a comment, so
 * the file always reads back without error.
 *
 * @param keys       the keys of the command the config is for
 * @param model      the model as given to init (a file or a built-in name)
 * @param data       the data init was given, or null
 * @param readsText  whether the model reads token ids (a text encoder)
 * @param inputs     the model's inputs as inspect describes them
 * @param outputs    the model's outputs as inspect describes them
 */
public record StarterConfig(ConfigKeys keys, String model, String data, boolean readsText,
                            List<TensorDescription> inputs, List<TensorDescription> outputs) {

    /** The objective a starter config minimizes. */
    static final String OBJECTIVE = "energy";
    /** The search time a starter config gives. */
    static final String BUDGET = "10m";

    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)).build();

    public StarterConfig {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /**
     * A suggested tolerance for one output, by its kind.
     *
     * @param tolerance {@code OUT=METRIC>=X} or {@code OUT=METRIC<=X}
     * @param kind      what the output looks like, for the comment beside it
     */
    public record Suggestion(String tolerance, String kind) {
    }

    /**
     * The tolerance suggested for {@code output}: top-1 agreement for class scores ({@code [N, C]}), cosine for an
     * encoder's embeddings and for feature maps or sequences, IoU at 0.5 for a one- or two-channel map
     * ({@code [N, 1, H, W]}, a detector's probability map), the largest absolute difference for a score per example,
     * and exact equality for integer outputs.
     */
    public static Suggestion suggest(TensorDescription output, boolean readsText) {
        String name = output.name();
        long[] shape = output.shape();
        int rank = shape == null ? -1 : shape.length;
        if (!output.type().startsWith("float") && !output.type().equals("double")) {
            return new Suggestion(name + "=max-abs<=0", "integer output: must match exactly");
        }
        if (readsText) {
            return new Suggestion(name + "=cos>=0.99", "embeddings: cosine to the original's");
        }
        if (rank == 2 && shape[1] > 1) {
            return new Suggestion(name + "=top1-agree>=0.99", "class scores: top-1 agreement with the original");
        }
        if (rank == 4 && shape[1] <= 2 && shape[2] > 1 && shape[3] > 1) {
            return new Suggestion(name + "=iou@0.5>=0.9", "a probability map: IoU of the maps thresholded at 0.5");
        }
        if (rank >= 3) {
            return new Suggestion(name + "=cos>=0.99", "a feature map or sequence: cosine to the original's");
        }
        return new Suggestion(name + "=max-abs<=0.01", "a score per example: largest absolute difference");
    }

    /** The file's text. */
    public String text() {
        StringBuilder yaml = new StringBuilder();
        String command = "verdant " + keys.command();
        yaml.append("# ").append(command).append(" --config THIS_FILE\n")
                .append("# A starter config written by verdant init from what verdant inspect sees of ").append(model)
                .append(".\n# Keys are the long options of ").append(command).append(" without --, the model is ")
                .append("model; an option given on the\n# command line wins over this file. Every key: docs/config.md;")
                .append(" schema: docs/config/").append(keys.command()).append(".schema.json.\n#\n# Inputs (name, ")
                .append("element type, declared shape -> the shape inspect used):\n");
        inputs.forEach(t -> yaml.append(tensorLine(t, null)));
        yaml.append("# Outputs:\n");
        outputs.forEach(t -> yaml.append(tensorLine(t, suggest(t, readsText).kind())));
        yaml.append('\n');
        entry(yaml, "model", model, null);
        boolean classifier = !readsText && outputs.size() == 1
                && suggest(outputs.getFirst(), false).tolerance().contains("=top1-agree");
        if (data != null) {
            entry(yaml, "data", data, null);
        } else {
            yaml.append(readsText ? "# data: wordnet-nouns   # sentences to check on (this is the default)\n"
                    : classifier ? "# data: fashion-mnist   # labelled examples: required for a classifier\n"
                    : "# data: DATA   # real inputs the model reads\n");
        }
        if (keys.arg("inputs").isPresent()) {
            yaml.append("# inputs: PATH   # real inputs: .npy, .npz, .pb, images or WAV, matched to the inputs above\n");
        }
        List<String> tolerances = outputs.stream().map(t -> suggest(t, readsText).tolerance()).toList();
        // with labels (a classifier given --data) or for an encoder, the task's own measure judges as it always did;
        // a model checked on unlabelled inputs is judged output by output
        boolean taskMeasure = readsText || classifier && data != null;
        if (keys.arg("tolerance").isPresent() && !taskMeasure) {
            yaml.append("# Per-output tolerances (OUT=METRIC>=X), suggested by each output's kind:\n");
            entry(yaml, "tolerance", tolerances, null);
        } else {
            yaml.append(keys.arg("tolerance").isPresent()
                    ? "# To hold each output as well, a tolerance per output suggested by its kind:\n# tolerance:\n"
                    : "# Per-output tolerances suggested by each output's kind, for a verdant with --tolerance:\n");
            tolerances.forEach(t -> yaml.append("#   ").append(keys.arg("tolerance").isPresent() ? "- " : "")
                    .append(t).append('\n'));
            if (readsText) {
                entry(yaml, "min-fidelity", 0.99, "lowest cosine of any example's output to the original's");
            } else if (classifier) {
                entry(yaml, "max-accuracy-drop", "1%", "relative to the original's accuracy");
            }
        }
        entry(yaml, "objective", OBJECTIVE, "what to minimize: energy, latency or size");
        entry(yaml, "budget", BUDGET, "search time of one run");
        return yaml.toString();
    }

    /** {@code key: value} as YAML (quoted where YAML needs it), or a comment when the command has no such key. */
    private void entry(StringBuilder yaml, String key, Object value, String comment) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put(key, value);
        String text;
        try {
            text = YAML.writeValueAsString(one);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write YAML: " + e.getOriginalMessage(), e);
        }
        List<String> lines = new ArrayList<>(text.lines().toList());
        if (comment != null) {
            lines.set(0, lines.getFirst() + "   # " + comment);
        }
        boolean known = keys.arg(key).isPresent();
        if (!known) {
            yaml.append("# (verdant ").append(keys.command()).append(" has no --").append(key).append(")\n");
        }
        lines.forEach(line -> yaml.append(known ? "" : "# ").append(line).append('\n'));
    }

    private static String tensorLine(TensorDescription t, String kind) {
        String concrete = t.shape() == null ? "?" : Arrays.toString(t.shape());
        // names come from the model file: control characters written out, so a comment stays one line
        return String.format(Locale.ROOT, "#   %-24s %-8s %s -> %s%s%n", MessageText.oneLine(t.name()), t.type(),
                MessageText.oneLine(t.declared()), concrete,
                kind == null ? "" : "   " + kind);
    }
}
