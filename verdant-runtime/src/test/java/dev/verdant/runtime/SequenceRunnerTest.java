package dev.verdant.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SequenceRunnerTest {

    /** stateN = x + state; y = 2 * stateN: the running sum of x, doubled. */
    private static ModelProto accumulator() {
        OnnxModelBuilder b = OnnxModelBuilder.create("accumulator");
        String x = b.input("x", DataType.FLOAT, Dim.of(1), Dim.of(2));
        String state = b.input("state", DataType.FLOAT, Dim.named("N"), Dim.of(2));
        String next = b.node("Add").inputs(x, state).output("stateN");
        String two = b.initializer("two", new long[] {1}, new float[] {2});
        String y = b.node("Mul").inputs(next, two).output("y");
        b.output(y, DataType.FLOAT, Dim.of(1), Dim.of(2));
        b.output(next, DataType.FLOAT, Dim.of(1), Dim.of(2));
        return b.build();
    }

    private static Map<String, InputTensor> x(float a, float b) {
        return Map.of("x", InputTensor.ofFloats(new long[] {1, 2}, new float[] {a, b}));
    }

    @Test
    void eachStepReadsTheStateTheStepBeforeWroteStartingFromZeros() {
        InputSample sample = new InputSample("three steps", List.of(x(1, 10), x(2, 20), x(3, 30)));
        try (OrtRunner runner = OrtRunner.open(accumulator(), SessionSpec.threads(1))) {
            SequenceRunner.SequenceRun run = SequenceRunner.run(runner, StateLinks.parse(List.of("stateN=state")),
                    sample);

            assertThat(run.outputs()).extracting(o -> o.get("y").values())
                    .containsExactly(new float[] {2, 20}, new float[] {6, 60}, new float[] {12, 120});
            // the states a calibration sees: zeros (the dynamic dim as 1), then what the model carried
            assertThat(run.inputs()).extracting(i -> i.get("state").floats())
                    .containsExactly(new float[] {0, 0}, new float[] {1, 10}, new float[] {3, 30});
            assertThat(run.inputs().get(0).get("state").shape()).containsExactly(1, 2);
        }
    }

    @Test
    void linksNameOutputsAndInputsTheModelHasOrTheNearestOne() {
        assertThat(StateLinks.parse(List.of("stateN=state")).links()).containsEntry("stateN", "state");
        assertThatThrownBy(() -> StateLinks.parse(List.of("stateN")))
                .hasMessageStartingWith("--state 'stateN' is not OUT=IN");
        assertThatThrownBy(() -> StateLinks.parse(List.of("a=s", "b=s"))).hasMessageContaining("already linked");
        List<String> outputs = List.of("y", "stateN");
        List<String> inputs = List.of("x", "state");
        assertThatThrownBy(() -> StateLinks.parse(List.of("staten=state")).validate(outputs, inputs))
                .hasMessage("--state staten=state: the model has no output 'staten'; did you mean 'stateN'?");
        assertThatThrownBy(() -> StateLinks.parse(List.of("stateN=h")).validate(outputs, inputs))
                .hasMessageStartingWith("--state stateN=h: the model has no input 'h'");
    }
}
