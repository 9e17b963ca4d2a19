package dev.verdant.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.verdant.cli.Cli;
import dev.verdant.data.RepoRoot;
import dev.verdant.io.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The committed config schemas ({@code docs/config/COMMAND.schema.json}) are what the commands' options make today,
 * and the example configs beside them pass both an independent JSON Schema validator (networknt) and
 * {@link ConfigFile}. Regenerate the schemas after changing an option with
 * {@code ./mvnw -pl verdant-cli verify -Dtest=ConfigSchemaTest -Dverdant.write-config-schemas=true}.
 */
class ConfigSchemaTest {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final ObjectMapper YAML = new YAMLMapper();

    @TempDir
    Path dir;

    private static Map<String, CommandSpec> commandsTakingConfig() {
        Map<String, CommandSpec> commands = new java.util.TreeMap<>();
        Cli.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())).getSubcommands()
                .forEach((name, sub) -> {
                    if (ConfigKeys.takesConfig(sub.getCommandSpec())) {
                        commands.put(name, sub.getCommandSpec());
                    }
                });
        return commands;
    }

    private static Path configDocs() {
        return RepoRoot.find().orElseThrow().resolve("docs").resolve("config");
    }

    private static Schema schema(String command) throws IOException {
        return REGISTRY.getSchema(Files.readString(configDocs().resolve(command + ".schema.json")));
    }

    @Test
    void theCommittedSchemasAreWhatTheOptionsMakeToday() throws IOException {
        Map<String, CommandSpec> commands = commandsTakingConfig();
        assertThat(commands).containsOnlyKeys("compress", "optimize");
        boolean write = Boolean.getBoolean("verdant.write-config-schemas");
        for (Map.Entry<String, CommandSpec> command : commands.entrySet()) {
            Path committed = configDocs().resolve(command.getKey() + ".schema.json");
            String generated = ConfigSchema.text(command.getValue());
            if (write) {
                Files.createDirectories(committed.getParent());
                Files.writeString(committed, generated);
            }
            assertThat(committed).as("docs/config has no schema for verdant %s", command.getKey()).exists();
            assertThat(Json.mapper().readTree(Files.readString(committed)))
                    .as("docs/config/%s.schema.json differs from verdant %s's options; regenerate it: ./mvnw -pl "
                            + "verdant-cli verify -Dtest=ConfigSchemaTest -Dverdant.write-config-schemas=true",
                            command.getKey(), command.getKey())
                    .isEqualTo(Json.mapper().readTree(generated));
        }
    }

    @Test
    void everySchemaIsAValidDraft202012Schema() throws IOException {
        Schema metaSchema = REGISTRY.getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));
        for (String command : commandsTakingConfig().keySet()) {
            JsonNode schema = Json.mapper().readTree(Files.readString(configDocs().resolve(command + ".schema.json")));
            assertThat(metaSchema.validate(schema)).as(command).isEmpty();
        }
    }

    @Test
    void theExampleConfigsPassTheSchemaAndTheReader() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(configDocs())) {
            examples = files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(examples).isNotEmpty();
        Map<String, CommandSpec> commands = commandsTakingConfig();
        for (Path example : examples) {
            String command = example.getFileName().toString().split("[.-]")[0];
            assertThat(commands).as(example.toString()).containsKey(command);
            List<Error> errors = schema(command).validate(YAML.readTree(example.toFile()));
            assertThat(errors).as(example.toString()).isEmpty();
            Config config = ConfigFile.read(example, ConfigKeys.of(commands.get(command)));
            assertThat(config.values()).as(example.toString()).isNotEmpty();
        }
    }

    @Test
    void theSchemaAndTheReaderRefuseTheSameMistakes() throws IOException {
        CommandSpec optimize = commandsTakingConfig().get("optimize");
        Schema schema = schema("optimize");
        for (String bad : List.of("budjet: 10m", "batch: many", "objective: [size, energy]", "json: 3",
                "threads: [1, [2]]")) {
            Path file = Files.writeString(dir.resolve("bad.yaml"), "model: m.onnx\n" + bad + "\n");
            assertThat(schema.validate(YAML.readTree(file.toFile()))).as(bad).isNotEmpty();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigFile.read(file, ConfigKeys.of(optimize)))
                    .as(bad).isInstanceOf(ConfigException.class);
        }
        // and accept the same values: every key at its default (a list key as a list and as one value)
        ObjectNode defaults = YAML.createObjectNode();
        JsonNode properties = Json.mapper().readTree(ConfigSchema.text(optimize)).path("properties");
        properties.properties().forEach(p -> {
            if (p.getValue().has("default")) {
                defaults.set(p.getKey(), p.getValue().get("default"));
            }
        });
        defaults.put("model", "m.onnx").put("out", "best.onnx");
        assertThat(defaults.size()).isGreaterThan(10);
        Path file = Files.writeString(dir.resolve("defaults.yaml"), YAML.writeValueAsString(defaults));
        assertThat(schema.validate(YAML.readTree(file.toFile()))).isEmpty();
        assertThat(ConfigFile.read(file, ConfigKeys.of(optimize)).values()).hasSize(defaults.size());
        Path single = Files.writeString(dir.resolve("single.yaml"), "threads: 2\nmax-accuracy-drop: 1\n");
        assertThat(schema.validate(YAML.readTree(single.toFile()))).isEmpty();
        assertThat(ConfigFile.read(single, ConfigKeys.of(optimize)).values().get("threads").typed())
                .isEqualTo(List.of(2));
    }
}
