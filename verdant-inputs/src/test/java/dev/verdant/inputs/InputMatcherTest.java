package dev.verdant.inputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdant.onnx.DataType;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.ModelInputs;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tensors to model inputs by name, else in order; every mismatch one line naming both sides. */
class InputMatcherTest {

    private static final ModelInputs BERT = new ModelInputs(List.of(
            new ModelInputs.Input("input_ids", DataType.INT64, new long[] {-1, -1}),
            new ModelInputs.Input("attention_mask", DataType.INT64, new long[] {-1, -1})));
    private static final ModelInputs CNN = new ModelInputs(List.of(
            new ModelInputs.Input("image", DataType.FLOAT, new long[] {-1, 3, 32, 32})));

    private static NamedTensor ids(String name, String source) {
        return new NamedTensor(name, InputTensor.ofLongs(new long[] {1, 3}, new long[] {101, 7, 102}), source);
    }

    private static NamedTensor image(long... shape) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        return new NamedTensor("x", InputTensor.ofFloats(shape, new float[n]), "x.npy");
    }

    @Test
    void byNameWhenEveryTensorNamesAnInputElseInOrder() {
        InputMatcher matcher = new InputMatcher(BERT, Map.of(), Set.of());
        Map<String, InputTensor> named = matcher.match(List.of(ids("attention_mask", "m.npy"),
                ids("input_ids", "i.npy")), "sample");
        assertThat(named.get("attention_mask").longs()).containsExactly(101, 7, 102);
        assertThat(named).containsOnlyKeys("input_ids", "attention_mask");

        NamedTensor first = ids("input_0", "input_0.pb");
        NamedTensor second = new NamedTensor("input_1", InputTensor.ofLongs(new long[] {1, 3}, new long[] {1, 1, 0}),
                "input_1.pb");
        Map<String, InputTensor> ordered = matcher.match(List.of(first, second), "test_data_set_0");
        assertThat(ordered.get("input_ids")).isSameAs(first.tensor());
        assertThat(ordered.get("attention_mask").longs()).containsExactly(1, 1, 0);
    }

    @Test
    void aTensorOneAxisShortGetsABatchAxis() {
        InputMatcher matcher = new InputMatcher(CNN, Map.of(), Set.of());
        assertThat(matcher.match(List.of(image(3, 32, 32)), "x.npy").get("image").shape())
                .containsExactly(1, 3, 32, 32);
    }

    @Test
    void everyMismatchIsOneLineNamingTheTensorAndTheInput() {
        InputMatcher matcher = new InputMatcher(CNN, Map.of(), Set.of());
        assertThatThrownBy(() -> matcher.match(List.of(image(1, 3, 32, 30)), "x.npy")).hasMessage("x.npy (float "
                + "[1, 3, 32, 30]) does not fit model input 'image' (float [?, 3, 32, 32]): dim 3 is 30, the model "
                + "fixes it at 32");
        assertThatThrownBy(() -> matcher.match(List.of(image(32, 32)), "x.npy")).hasMessage("x.npy (float "
                + "[32, 32]) does not fit model input 'image' (float [?, 3, 32, 32]): rank 2, the model's is 4");
        NamedTensor doubles = new NamedTensor("image", InputTensor.ofDoubles(new long[] {1, 3, 32, 32},
                new double[3 * 32 * 32]), "image.npy");
        assertThatThrownBy(() -> matcher.match(List.of(doubles), "image.npy")).hasMessage("image.npy (double "
                + "[1, 3, 32, 32]) does not fit model input 'image' (float [?, 3, 32, 32]): element type double, "
                + "the model takes float");
        InputMatcher bert = new InputMatcher(BERT, Map.of(), Set.of());
        assertThatThrownBy(() -> bert.match(List.of(ids("tokens", "t.npz[tokens]")), "t.npz")).hasMessage("t.npz "
                + "gives 1 tensor [tokens] that neither name model inputs nor match the 2 it takes [input_ids, "
                + "attention_mask] in order");
        assertThatThrownBy(() -> bert.match(List.of(ids("input_ids", "i.npy")), "sample_3")).hasMessage("model "
                + "input 'attention_mask' (int64 [?, ?]) is in no file of sample_3; give it, or a constant with "
                + "--fill attention_mask=VALUE");
    }

    @Test
    void fillsAndCarriedInputsAreNotAskedOfTheFiles() {
        ModelInputs vad = new ModelInputs(List.of(
                new ModelInputs.Input("input", DataType.FLOAT, new long[] {-1, -1}),
                new ModelInputs.Input("state", DataType.FLOAT, new long[] {2, -1, 128}),
                new ModelInputs.Input("sr", DataType.INT64, new long[] {})));
        InputTensor rate = Fill.parse("sr=16000").tensor(vad.inputs().get(2));
        InputMatcher matcher = new InputMatcher(vad, Map.of("sr", rate), Set.of("state"));
        assertThat(matcher.wanted()).extracting(ModelInputs.Input::name).containsExactly("input");
        NamedTensor audio = new NamedTensor("chunk", InputTensor.ofFloats(new long[] {1, 4}, new float[4]), "a.npy");
        Map<String, InputTensor> step = matcher.match(List.of(audio), "a.npy");
        assertThat(step).containsOnlyKeys("input", "sr");
        NamedTensor twice = new NamedTensor("sr", rate, "sr.npy");
        assertThatThrownBy(() -> matcher.match(List.of(twice), "folder")).hasMessage("sr.npy (int64 []) gives model "
                + "input 'sr', which --fill also gives; drop one");
    }

    @Test
    void fillsTakeTheInputsTypeAndDeclaredShape() {
        ModelInputs.Input state = new ModelInputs.Input("state", DataType.FLOAT, new long[] {2, -1, 128});
        InputTensor zeros = Fill.parse("state=0").tensor(state);
        assertThat(zeros.shape()).containsExactly(2, 1, 128);
        assertThat(zeros.floats()).hasSize(256).containsOnly(0f);
        ModelInputs.Input flag = new ModelInputs.Input("use_cache", DataType.BOOL, new long[] {1});
        assertThat(Fill.parse("use_cache = true").tensor(flag).raw().littleEndian()).containsExactly(1);
        ModelInputs.Input small = new ModelInputs.Input("level", DataType.UINT8, new long[] {});
        assertThat(Fill.parse("level=200").tensor(small).raw().littleEndian()).containsExactly((byte) 200);
        assertThatThrownBy(() -> Fill.parse("level=300").tensor(small)).hasMessage("--fill level='300' is not a "
                + "uint8 value, which model input 'level' takes");
        ModelInputs.Input rate = new ModelInputs.Input("sr", DataType.INT64, new long[] {});
        assertThatThrownBy(() -> Fill.parse("sr=16k").tensor(rate)).hasMessage("--fill sr='16k' is not a int64 "
                + "value, which model input 'sr' takes");
        assertThatThrownBy(() -> Fill.parse("sr")).hasMessage("--fill 'sr' is not NAME=VALUE");
        assertThatThrownBy(() -> Fill.parse("=3")).hasMessage("--fill '=3' is not NAME=VALUE");
    }
}
