package dev.verdant.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdant.io.Json;
import java.io.File;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The JSON Schema (draft 2020-12) of one command's config file, made from the command's picocli model as
 * {@link ConfigKeys} and {@link ConfigFile} read it: one property per key with its type (a flag a boolean, a number
 * option an integer or number, a repeatable option a list or a single value, a {@code NAME=VALUE} option a mapping or
 * a list of pairs), its description and its default; no other key. {@code docs/config/COMMAND.schema.json} is this
 * text, and a test fails when the two differ.
 */
public final class ConfigSchema {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConfigSchema() {
    }

    /** The schema of {@code spec}'s config file. */
    public static ObjectNode of(CommandSpec spec) {
        ConfigKeys keys = ConfigKeys.of(spec);
        ObjectNode schema = NODES.objectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("title", "verdant " + spec.name() + " --config FILE.yaml");
        schema.put("description", "The options of verdant " + spec.name() + " as a YAML (or JSON) file: keys are the "
                + "long options without --, the model is model; an option on the command line wins over the file. "
                + "Generated from the command's options; see docs/config.md.");
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        keys.args().forEach((key, arg) -> properties.set(key, property(arg)));
        schema.put("additionalProperties", false);
        return schema;
    }

    /** The schema as the committed file holds it: indented JSON and a final line break. */
    public static String text(CommandSpec spec) {
        return Json.write(of(spec)) + "\n";
    }

    private static ObjectNode property(ArgSpec arg) {
        ObjectNode property = NODES.objectNode();
        String description = description(arg);
        if (!description.isEmpty()) {
            property.put("description", description);
        }
        ObjectNode shape;
        if (ConfigValues.isFlag(arg)) {
            shape = type("boolean");
        } else if (Map.class.isAssignableFrom(arg.type())) {
            Class<?>[] types = arg.auxiliaryTypes();
            shape = anyOf(NODES.objectNode().put("type", "object").set("additionalProperties",
                    scalar(types.length > 1 ? types[1] : String.class)),
                    NODES.objectNode().put("type", "array").set("items", type("string")));
        } else if (arg.isMultiValue()) {
            ObjectNode element = scalar(arg.auxiliaryTypes()[0]);
            shape = anyOf(NODES.objectNode().put("type", "array").set("items", element), element.deepCopy());
        } else {
            shape = scalar(arg.type());
        }
        property.setAll(shape);
        JsonNode defaultValue = defaultValue(arg);
        if (defaultValue != null) {
            property.set("default", defaultValue);
        }
        return property;
    }

    private static ObjectNode scalar(Class<?> type) {
        if (type == int.class || type == long.class || type == short.class || type == byte.class
                || type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
                || type == BigInteger.class) {
            return type("integer");
        }
        if (type == double.class || type == float.class || type == Double.class || type == Float.class
                || type == BigDecimal.class) {
            return type("number");
        }
        if (type == boolean.class || type == Boolean.class) {
            return type("boolean");
        }
        if (type.isEnum()) {
            ArrayNode names = NODES.arrayNode();
            for (Object constant : type.getEnumConstants()) {
                names.add(((Enum<?>) constant).name());
            }
            ObjectNode node = type("string");
            node.set("enum", names);
            return node;
        }
        if (type == String.class) {
            // a text option (a budget, a drop) may read as a number in YAML: 10 is the text 10
            ObjectNode node = NODES.objectNode();
            node.set("type", NODES.arrayNode().add("string").add("number"));
            return node;
        }
        return type("string");   // a path, a file, any other value written as text
    }

    private static ObjectNode type(String name) {
        return NODES.objectNode().put("type", name);
    }

    private static ObjectNode anyOf(ObjectNode... choices) {
        ObjectNode node = NODES.objectNode();
        node.set("anyOf", NODES.arrayNode().addAll(List.of(choices)));
        return node;
    }

    /** The default as the config would hold it: the annotation's, else the field's initial value; null when none. */
    private static JsonNode defaultValue(ArgSpec arg) {
        Object value;
        if (arg.defaultValue() != null) {
            try {
                value = ConfigValues.convert(arg, List.of(arg.defaultValue()));
            } catch (ParameterException e) {
                return null;
            }
        } else {
            value = arg.initialValue();
        }
        Object rendered = ConfigValues.render(value);
        if (rendered == null || rendered instanceof Path || rendered instanceof File) {
            return null;
        }
        return Json.mapper().valueToTree(rendered);
    }

    /**
     * The option's help text on one line: the command's own wording (resource bundle) where it has one, picocli's
     * variables and format escapes resolved as {@code --help} shows them.
     */
    private static String description(ArgSpec arg) {
        String text = String.join(" ", arg.description());
        String defaultText = arg.defaultValue() != null ? arg.defaultValue()
                : arg.initialValue() != null ? String.valueOf(ConfigValues.render(arg.initialValue())) : "none";
        StringBuilder candidates = new StringBuilder();
        if (arg.completionCandidates() != null) {
            for (Iterator<String> it = arg.completionCandidates().iterator(); it.hasNext(); ) {
                candidates.append(it.next()).append(it.hasNext() ? ", " : "");
            }
        }
        return text.replace("${DEFAULT-VALUE}", defaultText).replace("${COMPLETION-CANDIDATES}", candidates)
                .replace("%n", " ").replace("%%", "%").replaceAll("\\s+", " ").strip();
    }
}
