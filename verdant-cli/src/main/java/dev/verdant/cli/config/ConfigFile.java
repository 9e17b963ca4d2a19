package dev.verdant.cli.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.verdant.io.InputFiles;
import dev.verdant.io.MessageText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.ParameterException;

/**
 * Reads a {@code --config} file for one command and checks all of it before any work: a YAML mapping of the
 * command's keys ({@link ConfigKeys}) to values, or the JSON report of an earlier {@code compress} or
 * {@code optimize} run, whose {@code run.config} (the effective options it ran with) is taken as the config. A
 * missing file, a YAML syntax error, a key the command does not have (the nearest one suggested), a list for a
 * one-value option or a value the option's converter refuses is one line naming the file and the key.
 *
 * <p>Values mean what they mean on the command line: a flag takes {@code true} or {@code false}, a repeatable option
 * (or one that splits, as {@code --threads 1,2}) a list or a single value, an option of {@code NAME=VALUE} pairs a
 * mapping or a list of pairs. Relative paths are read from the working directory, as on the command line.
 */
public final class ConfigFile {

    /** YAML 1.1 as Jackson's line reads it (JSON is YAML too); a key given twice is an error, not the last one. */
    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private ConfigFile() {
    }

    /**
     * The config in {@code file}, every key and value checked against {@code keys}.
     *
     * @throws ConfigException with one line naming the file (and the key) for anything wrong with it
     */
    public static Config read(Path file, ConfigKeys keys) {
        InputFiles.problem(file, "a YAML config").ifPresent(problem -> {
            throw new ConfigException(ConfigKeys.CONFIG_OPTION + ": " + problem);
        });
        JsonNode root = tree(file);
        if (isReport(root)) {
            root = configOfReport(root, file, keys);
        }
        if (root.isEmpty()) {
            throw new ConfigException(file + " holds no options (empty, or comments only); a config maps option "
                    + "names to values, e.g. budget: 10m");
        }
        Map<String, Config.Value> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String key = field.getKey();
            ArgSpec arg = keys.arg(key).orElseThrow(() -> new ConfigException(file + ": unknown key "
                    + MessageText.quote(key) + " for verdant " + keys.command() + "; did you mean '"
                    + keys.nearest(key) + "'?"));
            values.put(key, value(file, key, arg, field.getValue()));
        }
        return new Config(file, values);
    }

    /** Whether {@code root} is a results file (a report or a result of schema 2) rather than a config. */
    static boolean isReport(JsonNode root) {
        return root.has("schema_version") && root.path("run").isObject();
    }

    private static JsonNode tree(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            String reason = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
            throw new ConfigException(file + " is not valid YAML" + where + ": " + MessageText.oneLine(reason), e);
        } catch (IOException e) {
            throw new ConfigException(ConfigKeys.CONFIG_OPTION + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return YAML.createObjectNode();
        }
        if (!root.isObject()) {
            throw new ConfigException(file + ": a config is a mapping of option names to values (e.g. budget: 10m), "
                    + "not " + kind(root));
        }
        return root;
    }

    /** The {@code run.config} a report recorded, refused when the report is another command's or has none. */
    private static JsonNode configOfReport(JsonNode report, Path file, ConfigKeys keys) {
        JsonNode run = report.path("run");
        String tool = run.path("tool").asText("");
        String command = "verdant " + keys.command();
        if (!tool.isEmpty() && !tool.equals(command)) {
            throw new ConfigException(file + " is a report of " + MessageText.quote(tool) + ": its config repeats "
                    + "that command, not " + command);
        }
        JsonNode config = run.path("config");
        if (!config.isObject() || config.isEmpty()) {
            throw new ConfigException(file + " is a report that records no config (a Verdant before configs wrote "
                    + "it); repeat the command it records: " + MessageText.quote(run.path("command").asText("")));
        }
        return config;
    }

    private static Config.Value value(Path file, String key, ArgSpec arg, JsonNode node) {
        String named = file + ": key '" + key + "'";
        if (arg.group() != null) {
            // picocli makes a group's object only when the command line names one of its options
            throw new ConfigException(named + " is an option of an argument group, which a config file cannot set; "
                    + "give " + ConfigKeys.usage(arg) + " on the command line");
        }
        if (node.isNull()) {
            throw new ConfigException(named + " has no value; give one or remove the key");
        }
        List<String> strings = new ArrayList<>();
        if (ConfigValues.isFlag(arg)) {
            if (!node.isBoolean()) {
                throw new ConfigException(named + " takes true or false, not " + shown(node));
            }
            strings.add(node.asText());
        } else if (Map.class.isAssignableFrom(arg.type()) && node.isObject()) {
            for (Map.Entry<String, JsonNode> pair : node.properties()) {
                strings.add(pair.getKey() + "=" + scalar(named + " at " + pair.getKey(), pair.getValue()));
            }
        } else if (arg.isMultiValue()) {
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    strings.add(scalar(named + " item " + (i + 1), node.get(i)));
                }
            } else {
                strings.add(scalar(named, node));
            }
        } else {
            if (node.isContainerNode()) {
                throw new ConfigException(named + " takes one value (" + ConfigKeys.usage(arg) + "), not "
                        + kind(node));
            }
            strings.add(node.asText());
        }
        try {
            return new Config.Value(strings, ConfigValues.convert(arg, strings));
        } catch (ParameterException e) {
            throw new ConfigException(named + ": " + ConfigValues.reason(e) + " (" + ConfigKeys.usage(arg) + ")", e);
        }
    }

    private static String scalar(String named, JsonNode node) {
        if (!node.isValueNode() || node.isNull()) {
            throw new ConfigException(named + " takes a value, not " + kind(node));
        }
        return node.asText();
    }

    private static String shown(JsonNode node) {
        return node.isValueNode() ? MessageText.quote(node.asText()) : kind(node);
    }

    private static String kind(JsonNode node) {
        return node.isArray() ? "a list" : node.isObject() ? "a mapping" : node.isNull() ? "nothing"
                : "the value " + MessageText.quote(node.asText());
    }
}
