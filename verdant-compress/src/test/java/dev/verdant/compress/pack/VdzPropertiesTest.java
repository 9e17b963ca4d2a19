package dev.verdant.compress.pack;

import static dev.verdant.io.ParserProperties.forAll;
import static dev.verdant.io.ParserProperties.parsesOrRefuses;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.io.Mutations;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * The {@code .vdz} reader on any bytes: a model, or an {@link IllegalArgumentException} on one line. Mutated files
 * are tried as they are (the checksum refuses nearly all) and sealed with a fresh checksum, so that truncated
 * tensors, bit flips in counts and dims and huge varints reach the decoder.
 */
class VdzPropertiesTest {

    @Test
    void anyFileUnpacksOrFailsOnOneLine() {
        byte[] header = Arrays.copyOf(VdzContainer.MAGIC, VdzContainer.MAGIC.length + 1);
        header[VdzContainer.MAGIC.length] = VdzContainer.VERSION;
        forAll(600, Generate.oneOf(Mutations.ofBytes(VdzSamples.valid()),
                Mutations.randomBytes(64).map(tail -> concat(header, tail))), bytes -> {
                    for (byte[] input : new byte[][] {bytes, VdzSamples.sealed(bytes)}) {
                        parsesOrRefuses(() -> VdzContainer.unpack(input), IllegalArgumentException.class)
                                .ifPresent(model -> assertThat(model.hasGraph()).isTrue());
                    }
                });
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
