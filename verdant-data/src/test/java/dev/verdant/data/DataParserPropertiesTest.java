package dev.verdant.data;

import static dev.verdant.io.ParserProperties.forAll;
import static dev.verdant.io.ParserProperties.parsesOrRefuses;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.io.Mutations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.generators.Generate;

/**
 * The data module's file parsers on any bytes: {@link IdxReader} (plain and gzipped), a {@link CsvSource} table and
 * {@link TokenizerFile}, each a value or a {@link DataFormatException} on one line. Inputs are small valid files
 * mutated (truncation, bit flips, huge counts, negative dims), and random bytes.
 */
class DataParserPropertiesTest {

    @TempDir
    Path dir;

    @Test
    void anIdxFileReadsOrFailsOnOneLine() throws IOException {
        byte[] images = idx(IdxReader.IMAGES_MAGIC, new int[] {2, 3, 3}, 18);
        byte[] labels = idx(IdxReader.LABELS_MAGIC, new int[] {2}, 2);
        // a header that declares 2^31-1 items: must be refused for want of data, not allocated
        byte[] huge = idx(IdxReader.IMAGES_MAGIC, new int[] {Integer.MAX_VALUE, 1, 1}, 4);
        byte[] negative = idx(IdxReader.IMAGES_MAGIC, new int[] {2, -3, 3}, 18);
        Path file = dir.resolve("data-idx3-ubyte");
        forAll(600, Generate.oneOf(Mutations.ofBytes(List.of(images, labels, huge, negative, gzip(images))),
                Mutations.randomBytes(40)), bytes -> {
                    Files.write(file, bytes);
                    for (int limit : new int[] {Integer.MAX_VALUE, 1}) {
                        parsesOrRefuses(() -> IdxReader.read(file, limit), DataFormatException.class)
                                .ifPresent(array -> assertThat((long) array.data().length)
                                        .isEqualTo(Arrays.stream(array.dims()).asLongStream().reduce(1, (a, b) -> a * b)));
                    }
                });
    }

    @Test
    void aCsvTableLoadsOrFailsOnOneLine() {
        String table = "sepal,petal,label\n1.5,0.2,setosa\n6.1,\"4.7\",versicolor\n5.9;2.1;x\n";
        String semicolons = "a;b;class\n1;2;0\n3;4;1\n";
        Path file = dir.resolve("table.csv");
        forAll(600, Generate.oneOf(Mutations.ofBytes(List.of(table.getBytes(StandardCharsets.UTF_8),
                semicolons.getBytes(StandardCharsets.UTF_8))), Mutations.randomBytes(60)), bytes -> {
                    Files.write(file, bytes);
                    for (Optional<String> label : List.of(Optional.<String>empty(), Optional.of("label"))) {
                        parsesOrRefuses(() -> new CsvSource("table.csv", file, label).loadAll(), DataFormatException.class)
                                .ifPresent(data -> assertThat(data.features())
                                        .hasSize(data.labels().length * data.featureNames().size()));
                    }
                });
    }

    @Test
    void aTokenizerFileIsCheckedOrRefusedOnOneLine() {
        String wordPiece = """
                {"model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[UNK]": 0, "[CLS]": 1, "a": 2}}}""";
        String bpe = """
                {"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}}""";
        String unigram = """
                {"model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["a", -1.5]]}}""";
        Path file = dir.resolve("tokenizer.json");
        forAll(600, Generate.oneOf(Mutations.ofBytes(List.of(wordPiece.getBytes(StandardCharsets.UTF_8),
                bpe.getBytes(StandardCharsets.UTF_8), unigram.getBytes(StandardCharsets.UTF_8))),
                Mutations.randomBytes(60)), bytes -> {
                    Files.write(file, bytes);
                    parsesOrRefuses(() -> TokenizerFile.read(file), DataFormatException.class, UncheckedIOException.class)
                            .ifPresent(json -> assertThat(TokenizerFile.MODEL_TYPES)
                                    .contains(json.path("model").path("type").asText()));
                });
    }

    @Test
    void valuesFromTheFileAreQuotedOnOneLine() throws Exception {
        Path tokenizer = Files.writeString(dir.resolve("tokenizer.json"),
                "{\"model\": {\"type\": \"Word\\nPiece\", \"vocab\": {\"a\": 0}}}");
        assertThat(parsesOrRefuses(() -> TokenizerFile.read(tokenizer), DataFormatException.class)).isEmpty();
        Path unk = Files.writeString(dir.resolve("unk.json"),
                "{\"model\": {\"type\": \"BPE\", \"unk_token\": \"\\u001b[2J\", \"vocab\": {\"a\": 0}}}");
        assertThat(parsesOrRefuses(() -> TokenizerFile.read(unk), DataFormatException.class)).isEmpty();
        Path table = Files.writeString(dir.resolve("t.csv"), "a,label\n\"1\n2\",x\n");
        assertThat(parsesOrRefuses(() -> new CsvSource("t.csv", table, Optional.empty()).loadAll(),
                DataFormatException.class)).isEmpty();
        Path column = Files.writeString(dir.resolve("c.csv"), "\"a\nb\",label\n,x\n");
        assertThat(parsesOrRefuses(() -> new CsvSource("c.csv", column, Optional.empty()).loadAll(),
                DataFormatException.class)).isEmpty();
    }

    /** An IDX file of unsigned bytes: magic, dims, then {@code dataBytes} bytes 0, 1, 2 ... */
    private static byte[] idx(int magic, int[] dims, int dataBytes) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length + dataBytes);
        buffer.putInt(magic);
        for (int dim : dims) {
            buffer.putInt(dim);
        }
        for (int i = 0; i < dataBytes; i++) {
            buffer.put((byte) i);
        }
        return buffer.array();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
