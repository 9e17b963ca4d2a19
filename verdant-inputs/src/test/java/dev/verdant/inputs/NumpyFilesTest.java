package dev.verdant.inputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdant.onnx.DataType;
import dev.verdant.runtime.InputTensor;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jetbrains.bio.npy.NpyFile;
import org.jetbrains.bio.npy.NpzFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .npy/.npz reader against two independent writers: NumPy's own (small files it wrote, under
 * {@code src/test/resources}) and JetBrains' npy library.
 */
class NumpyFilesTest {

    @TempDir
    Path dir;

    static Path resource(String name) {
        try {
            return Path.of(NumpyFilesTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsWhatJetBrainsNpyWrites() {
        Path floats = dir.resolve("image.npy");
        NpyFile.write(floats, new float[] {0.5f, -1f, 3.25f, 7f, 8f, 9f}, new int[] {1, 2, 3});
        InputTensor f = NumpyFiles.readNpy(floats).tensor();
        assertThat(f.type()).isEqualTo(DataType.FLOAT);
        assertThat(f.shape()).containsExactly(1, 2, 3);
        assertThat(f.floats()).containsExactly(0.5f, -1f, 3.25f, 7f, 8f, 9f);
        assertThat(NumpyFiles.readNpy(floats).name()).isEqualTo("image");

        Path longs = dir.resolve("ids.npy");
        NpyFile.write(longs, new long[] {101, 2023, 102}, new int[] {1, 3});
        assertThat(NumpyFiles.readNpy(longs).tensor().longs()).containsExactly(101, 2023, 102);

        Path ints = dir.resolve("ints.npy");
        NpyFile.write(ints, new int[] {-5, 6}, new int[] {2});
        InputTensor i = NumpyFiles.readNpy(ints).tensor();
        assertThat(i.type()).isEqualTo(DataType.INT32);
        assertThat(ints(i)).containsExactly(-5, 6);

        Path doubles = dir.resolve("d.npy");
        NpyFile.write(doubles, new double[] {1e-300, -2}, new int[] {2}, ByteOrder.BIG_ENDIAN);
        InputTensor d = NumpyFiles.readNpy(doubles).tensor();
        assertThat(d.type()).isEqualTo(DataType.DOUBLE);
        assertThat(ByteBuffer.wrap(d.raw().littleEndian()).order(ByteOrder.LITTLE_ENDIAN).getDouble(0))
                .isEqualTo(1e-300);

        Path bools = dir.resolve("mask.npy");
        NpyFile.write(bools, new boolean[] {true, false, true}, new int[] {3});
        InputTensor b = NumpyFiles.readNpy(bools).tensor();
        assertThat(b.type()).isEqualTo(DataType.BOOL);
        assertThat(b.raw().littleEndian()).containsExactly(1, 0, 1);
    }

    @Test
    void readsWhatNumpyWrites() {
        InputTensor u8 = NumpyFiles.readNpy(resource("uint8.npy")).tensor();
        assertThat(u8.type()).isEqualTo(DataType.UINT8);
        assertThat(u8.shape()).containsExactly(1, 4);
        assertThat(u8.raw().littleEndian()).containsExactly(0, 1, (byte) 200, (byte) 255);

        InputTensor scalar = NumpyFiles.readNpy(resource("scalar-int64.npy")).tensor();
        assertThat(scalar.shape()).isEmpty();
        assertThat(scalar.longs()).containsExactly(16000);

        InputTensor half = NumpyFiles.readNpy(resource("float16.npy")).tensor();
        assertThat(half.type()).isEqualTo(DataType.FLOAT16);
        ByteBuffer halves = ByteBuffer.wrap(half.raw().littleEndian()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(Float.float16ToFloat(halves.getShort(0))).isEqualTo(1f);
        assertThat(Float.float16ToFloat(halves.getShort(6))).isEqualTo(65504f);

        assertThat(NumpyFiles.readNpy(resource("big-endian-float32.npy")).tensor().floats())
                .containsExactly(1.5f, -2.25f, 3f);
        InputTensor v2 = NumpyFiles.readNpy(resource("version2-int32.npy")).tensor();
        assertThat(v2.shape()).containsExactly(2, 2);
        assertThat(ints(v2)).containsExactly(-1, 2, 3, -4);
    }

    @Test
    void readsEveryArrayOfAnNpzByItsKeyword() {
        List<NamedTensor> numpy = NumpyFiles.readNpz(resource("two-inputs.npz"));
        assertThat(numpy).extracting(NamedTensor::name).containsExactly("input", "sr");
        assertThat(numpy.get(0).tensor().floats()).containsExactly(0.25f, 0.25f, 0.25f, 0.25f);
        assertThat(numpy.get(1).tensor().longs()).containsExactly(8000);
        assertThat(numpy.get(1).source()).endsWith("two-inputs.npz[sr]");

        Path archive = dir.resolve("jetbrains.npz");
        try (NpzFile.Writer writer = NpzFile.write(archive, true)) {
            writer.write("x", new float[] {1, 2}, new int[] {1, 2});
            writer.write("mask", new long[] {1, 0}, new int[] {1, 2});
        }
        assertThat(NumpyFiles.readNpz(archive)).extracting(NamedTensor::name).containsExactly("x", "mask");
    }

    @Test
    void whatItCannotReadIsOneLineNamingTheFile() throws Exception {
        assertThatThrownBy(() -> NumpyFiles.readNpy(resource("fortran-float32.npy")))
                .hasMessageContaining("fortran-float32.npy is a Fortran-ordered array").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> NumpyFiles.readNpy(resource("complex64.npy")))
                .hasMessageContaining("complex64.npy holds NumPy dtype '<c8'");
        Path text = Files.writeString(dir.resolve("notes.npy"), "not an array");
        assertThatThrownBy(() -> NumpyFiles.readNpy(text)).hasMessage(text + " is not a NumPy .npy array (no "
                + "\\x93NUMPY magic)");
        Path whole = dir.resolve("whole.npy");
        NpyFile.write(whole, new float[] {1, 2, 3, 4}, new int[] {4});
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.npy"), Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> NumpyFiles.readNpy(cut)).hasMessage(cut + " declares shape [4] of float (16 bytes) "
                + "but holds 13");
        Path header = Files.write(dir.resolve("header.npy"), Arrays.copyOf(bytes, 20));
        assertThatThrownBy(() -> NumpyFiles.readNpy(header)).hasMessage(header + " ends inside its NumPy header");
        Path notZip = Files.writeString(dir.resolve("plain.npz"), "plain text");
        assertThatThrownBy(() -> NumpyFiles.readNpz(notZip)).hasMessageStartingWith(notZip + " is not an .npz "
                + "archive");
        assertThatThrownBy(() -> NumpyFiles.readNpy(dir.resolve("missing.npy"))).hasMessage("no such file: "
                + dir.resolve("missing.npy"));
    }

    static int[] ints(InputTensor tensor) {
        ByteBuffer buffer = ByteBuffer.wrap(tensor.raw().littleEndian()).order(ByteOrder.LITTLE_ENDIAN);
        int[] values = new int[buffer.remaining() / 4];
        buffer.asIntBuffer().get(values);
        return values;
    }
}
