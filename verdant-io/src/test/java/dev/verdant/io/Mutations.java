package dev.verdant.io;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Inputs for parser properties that start from valid ones: a valid file with a few bytes flipped, inserted, deleted
 * or duplicated, or cut short, so that the generated input gets past the first checks and reaches deep ones.
 */
public final class Mutations {

    private Mutations() {
    }

    /** One of {@code valid}, changed by one to four edits, or left whole (a valid input must parse too). */
    public static Arbitrary<byte[]> ofBytes(List<byte[]> valid) {
        Arbitrary<byte[]> seed = Arbitraries.of(valid);
        Arbitrary<List<Edit>> edits = edit().list().ofMinSize(0).ofMaxSize(4);
        return Combinators.combine(seed, edits).as((bytes, list) -> {
            byte[] out = bytes.clone();
            for (Edit e : list) {
                out = e.apply(out);
            }
            return out;
        });
    }

    /** Texts made from {@code valid} the way {@link #ofBytes} makes bytes (UTF-8, mended where an edit broke it). */
    public static Arbitrary<String> ofText(List<String> valid) {
        return ofBytes(valid.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList())
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * {@code text} as a command-line value: any text but line breaks, which an option's value does not hold in
     * practice (and which a message that echoes the value would carry onto a second line).
     */
    public static Arbitrary<String> optionValue(Arbitrary<String> text) {
        return text.map(s -> s.replaceAll("[\\n\\r]", " "));
    }

    /** Random bytes, for inputs that are no format at all. */
    public static Arbitrary<byte[]> randomBytes(int maxLength) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxLength);
    }

    /** One edit at a relative position (0 to 1 of the input's length). */
    private record Edit(int kind, double at, int length, byte value) {
        byte[] apply(byte[] in) {
            int pos = (int) (at * in.length);
            int end = Math.min(in.length, pos + length);
            return switch (kind) {
                case 0 -> { // flip one byte
                    byte[] out = in.clone();
                    if (pos < out.length) {
                        out[pos] = value;
                    }
                    yield out;
                }
                case 1 -> concat(Arrays.copyOf(in, pos), new byte[] {value}, Arrays.copyOfRange(in, pos, in.length));
                case 2 -> concat(Arrays.copyOf(in, pos), new byte[0], Arrays.copyOfRange(in, end, in.length));
                case 3 -> concat(Arrays.copyOf(in, end), Arrays.copyOfRange(in, pos, end), Arrays.copyOfRange(in, end, in.length));
                default -> Arrays.copyOf(in, pos); // truncate
            };
        }

        private static byte[] concat(byte[] a, byte[] b, byte[] c) {
            byte[] out = Arrays.copyOf(a, a.length + b.length + c.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            System.arraycopy(c, 0, out, a.length + b.length, c.length);
            return out;
        }
    }

    private static Arbitrary<Edit> edit() {
        Arbitrary<Byte> interesting = Arbitraries.oneOf(Arbitraries.bytes(),
                Arbitraries.of((byte) 0, (byte) 0xFF, (byte) 0x7F, (byte) 0x80, (byte) '"', (byte) ',', (byte) '\n',
                        (byte) '{', (byte) '[', (byte) '-', (byte) '9'));
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(1, 16), interesting).as(Edit::new);
    }
}
