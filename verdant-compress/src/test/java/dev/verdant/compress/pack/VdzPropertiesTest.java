package dev.verdant.compress.pack;

import static dev.verdant.io.ParserProperties.forAll;
import static dev.verdant.io.ParserProperties.parsesOrRefuses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void aSkeletonSizeBeyondItsDataIsRefusedWithoutAllocatingIt() {
        // found while fuzzing (1 GB resident for a 30-byte input): the skeleton's declared inflated size was
        // allocated before inflating; a few deflated bytes declaring 2^31-1 are corrupt
        java.util.zip.Deflater deflater = new java.util.zip.Deflater();
        deflater.setInput(new byte[] {8, 8});
        deflater.finish();
        byte[] deflated = new byte[64];
        int length = deflater.deflate(deflated);
        deflater.end();
        ByteSink file = new ByteSink();
        file.bytes(VdzContainer.MAGIC);
        file.u8(VdzContainer.VERSION);
        file.u8(1); // deflated skeleton
        file.varint(Integer.MAX_VALUE);
        file.varint(length);
        file.bytes(Arrays.copyOf(deflated, length));
        file.varint(0);
        file.u32(0);
        byte[] bytes = VdzSamples.sealed(file.toByteArray());
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        assertThatThrownBy(() -> VdzContainer.unpack(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not inflate to 2147483647 bytes");
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(64L << 20);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
