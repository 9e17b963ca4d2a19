package dev.verdant.io;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * Inputs for parser properties that start from valid ones: a valid file with a few bytes flipped, inserted, deleted
 * or duplicated, or cut short, so that the generated input gets past the first checks and reaches deep ones.
 */
public final class Mutations {

    /** Bytes an edit writes: any byte, or one that means something to a parser (a quote, a brace, a minus ...). */
    private static final Gen<Byte> INTERESTING = Generate.oneOf(Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0),
            Generate.pick(List.of((byte) 0, (byte) 0xFF, (byte) 0x7F, (byte) 0x80, (byte) '"', (byte) ',',
                    (byte) '\n', (byte) '{', (byte) '[', (byte) '-', (byte) '9')));

    private Mutations() {
    }

    /** One of {@code valid}, changed by one to four edits, or left whole (a valid input must parse too). */
    public static Gen<byte[]> ofBytes(List<byte[]> valid) {
        Gen<List<Edit>> edits = SourceDSL.lists().of(edit()).ofSizeBetween(0, 4);
        return Generate.range(0, valid.size() - 1).zip(edits, (index, list) -> {
            byte[] out = valid.get(index).clone();
            for (Edit e : list) {
                out = e.apply(out);
            }
            return out;
        }).describedAs(Mutations::describe);
    }

    /** Texts made from {@code valid} the way {@link #ofBytes} makes bytes (UTF-8, mended where an edit broke it). */
    public static Gen<String> ofText(List<String> valid) {
        return ofBytes(valid.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList())
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * {@code text} as a command-line value: any text but line breaks, which an option's value does not hold in
     * practice (and which a message that echoes the value would carry onto a second line).
     */
    public static Gen<String> optionValue(Gen<String> text) {
        return text.map(s -> s.replaceAll("[\\n\\r]", " "));
    }

    /** Random bytes, for inputs that are no format at all. */
    public static Gen<byte[]> randomBytes(int maxLength) {
        return Generate.byteArrays(Generate.range(0, maxLength), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0))
                .describedAs(Mutations::describe);
    }

    /** Any text up to {@code maxLength} characters, of the whole of Unicode. */
    public static Gen<String> anyText(int maxLength) {
        return SourceDSL.strings().allPossible().ofLengthBetween(0, maxLength);
    }

    /** Text of {@code alphabet}'s characters only, so that the characters a format gives a meaning to meet often. */
    public static Gen<String> textOf(String alphabet, int maxLength) {
        return SourceDSL.lists().of(Generate.pick(alphabet.chars().mapToObj(c -> (char) c).toList()))
                .ofSizeBetween(0, maxLength).map(chars -> {
                    StringBuilder text = new StringBuilder();
                    chars.forEach(text::append);
                    return text.toString();
                });
    }

    /** Bytes as a failing example prints them: their length and hex. */
    public static String describe(byte[] bytes) {
        return bytes.length + " bytes: " + HexFormat.of().formatHex(bytes);
    }

    /** One edit at a relative position (0 to 1 of the input's length). */
    private record Edit(int kind, double at, int length, byte value) {
        byte[] apply(byte[] in) {
            int pos = (int) (at * in.length);
            int end = Math.min(in.length, pos + length);
            return switch (kind) {
                case 0 -> { // overwrite one byte
                    byte[] out = in.clone();
                    if (pos < out.length) {
                        out[pos] = value;
                    }
                    yield out;
                }
                case 1 -> concat(Arrays.copyOf(in, pos), new byte[] {value}, Arrays.copyOfRange(in, pos, in.length));
                case 2 -> concat(Arrays.copyOf(in, pos), new byte[0], Arrays.copyOfRange(in, end, in.length));
                case 3 -> concat(Arrays.copyOf(in, end), Arrays.copyOfRange(in, pos, end), Arrays.copyOfRange(in, end, in.length));
                case 4 -> { // flip one bit
                    byte[] out = in.clone();
                    if (pos < out.length) {
                        out[pos] ^= (byte) (1 << (value & 7));
                    }
                    yield out;
                }
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

    private static Gen<Edit> edit() {
        return Generate.range(0, 5).zip(SourceDSL.doubles().between(0, 1), Generate.range(1, 16), INTERESTING,
                Edit::new);
    }
}
