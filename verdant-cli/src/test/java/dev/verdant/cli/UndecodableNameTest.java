package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.verdant.onnx.OnnxModels;
import dev.verdant.train.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File names holding bytes that are not UTF-8 (issue 22's battery): a Java string cannot carry them, so this runs
 * {@code verdant} in a JVM of its own from {@code /bin/sh}, which passes the raw bytes as the shell would. The JVM
 * decodes them to U+FFFD; an input so named cannot be opened and an output would land under another name, so both
 * are refused in one line, exit 2, with nothing written.
 */
class UndecodableNameTest {

    @TempDir
    Path dir;

    @Test
    void anInputOrOutputNameThatIsNotUtf8IsRefusedInOneLineAndNothingIsWritten() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "/bin/sh is present");
        Path model = dir.resolve("mlp.onnx");
        OnnxModels.write(Zoo.imageClassifier("mlp", 10, 1.0, 1).build(), model);
        // the shell makes a copy of the model under a name with the byte 0xFF, then runs verdant on it
        ChildCli.Result input = ChildCli.run(dir, "cp mlp.onnx \"$(printf 'bad\\377.onnx')\" "
                + "&& exec \"$@\" pack \"$(printf 'bad\\377.onnx')\" --out out.vdz");
        ChildCli.Result output = ChildCli.run(dir, "exec \"$@\" pack mlp.onnx --out \"$(printf 'out\\377.vdz')\"");
        for (ChildCli.Result result : List.of(input, output)) {
            assertThat(result.exit()).as(result.err()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(result.err().strip()).contains("not valid UTF-8").doesNotContain("\n")
                    .doesNotContain("Exception");
        }
        assertThat(output.err()).startsWith("verdant: --out ");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("bad")))
                    .containsExactly("mlp.onnx");
        }
    }
}
