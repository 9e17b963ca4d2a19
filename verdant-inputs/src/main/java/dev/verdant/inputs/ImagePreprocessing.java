package dev.verdant.inputs;

import dev.verdant.io.MessageText;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How an image becomes a model's float input, as {@code --preprocess} declares it: a named preset, or
 * {@code key=value} pairs separated by commas, or a preset followed by pairs that override it
 * ({@code imagenet,crop=299}). The steps run in this order: resize, center crop, round to a multiple, channel order,
 * {@code value * scale}, then {@code (value - mean) / std} per channel, then the layout.
 *
 * <p>Keys: {@code resize=N} (shorter side to N, aspect kept) or {@code resize=WxH}; {@code max-side=N} (shrink so
 * the longer side is at most N); {@code crop=N} or {@code crop=WxH} (center); {@code multiple=M} (each side rounded
 * to a multiple of M, as detectors want); {@code scale=F} (pixel values 0..255 times F; default 1/255);
 * {@code mean=a,b,c} and {@code std=a,b,c} (one value per channel of the tensor, in its channel order, or one for
 * all); {@code layout=nchw|nhwc} (default: what the model's input shape says); {@code channels=rgb|bgr|gray}
 * (default: gray when the model takes one channel, else rgb). When no resize or crop is given and the model fixes
 * its input's height and width, the image is resized to them.
 *
 * @param resizeShorter shorter side after resizing, or 0
 * @param resizeWidth   exact width after resizing, or 0
 * @param resizeHeight  exact height after resizing, or 0
 * @param maxSide       longest side allowed, or 0
 * @param cropWidth     center crop width, or 0
 * @param cropHeight    center crop height, or 0
 * @param multiple      sides rounded to a multiple of this, or 0
 * @param scale         pixel values (0..255) are multiplied by this
 * @param mean          subtracted per channel after scaling (one value, or one per channel)
 * @param std           divided per channel after the mean (one value, or one per channel)
 * @param layout        {@code nchw}, {@code nhwc}, or {@code auto} for what the model says
 * @param channels      {@code rgb}, {@code bgr}, {@code gray}, or {@code auto} for what the model says
 * @param spec          the text it was parsed from, for descriptions
 */
public record ImagePreprocessing(int resizeShorter, int resizeWidth, int resizeHeight, int maxSide, int cropWidth,
        int cropHeight, int multiple, double scale, double[] mean, double[] std, String layout, String channels,
        String spec) {

    /**
     * The named presets and what each is: {@code imagenet} (torchvision's: shorter side 256, center crop 224, RGB,
     * /255, ImageNet mean and std), {@code imagenet-bgr} (the same in BGR order with the mean and std in that
     * order, as PaddleOCR and OpenCV pipelines feed them), {@code unit} (RGB /255, the model's size), {@code gray}
     * (one luminance channel /255), {@code raw} (RGB 0..255), {@code inception} (RGB scaled to [-1, 1]).
     */
    public static final Map<String, String> PRESETS = presets();

    /** What {@code --preprocess} is when not given. */
    public static final String DEFAULT = "unit";

    private static Map<String, String> presets() {
        Map<String, String> presets = new LinkedHashMap<>();
        presets.put("imagenet", "resize=256,crop=224,channels=rgb,scale=0.00392156862745098,"
                + "mean=0.485,0.456,0.406,std=0.229,0.224,0.225");
        presets.put("imagenet-bgr", "resize=256,crop=224,channels=bgr,scale=0.00392156862745098,"
                + "mean=0.485,0.456,0.406,std=0.229,0.224,0.225");
        presets.put("unit", "scale=0.00392156862745098");
        presets.put("gray", "channels=gray,scale=0.00392156862745098");
        presets.put("raw", "channels=rgb,scale=1");
        presets.put("inception", "channels=rgb,scale=0.00392156862745098,mean=0.5,std=0.5");
        return Map.copyOf(presets);
    }

    /**
     * Parses a {@code --preprocess} value.
     *
     * @throws IllegalArgumentException with one line naming the key or preset when it is unknown or its value bad
     */
    public static ImagePreprocessing parse(String spec) {
        String text = spec == null || spec.isBlank() ? DEFAULT : spec.strip();
        Map<String, String> values = new LinkedHashMap<>();
        String[] parts = text.split(",(?=\\s*[a-z-]+\\s*(=|$|,))");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            int eq = part.indexOf('=');
            if (eq < 0) {
                String preset = PRESETS.get(part.toLowerCase(Locale.ROOT));
                if (i != 0 || preset == null) {
                    throw new IllegalArgumentException("--preprocess: unknown preset " + MessageText.quote(part)
                            + "; presets are " + String.join(", ", PRESETS.keySet().stream().sorted().toList())
                            + " (first), then key=value pairs");
                }
                values.putAll(pairs(preset));
            } else {
                values.putAll(pairs(part));
            }
        }
        return fromPairs(values, text);
    }

    private static Map<String, String> pairs(String text) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String part : text.split(",(?=\\s*[a-z-]+\\s*=)")) {
            int eq = part.indexOf('=');
            pairs.put(part.substring(0, eq).strip().toLowerCase(Locale.ROOT), part.substring(eq + 1).strip());
        }
        return pairs;
    }

    private static ImagePreprocessing fromPairs(Map<String, String> pairs, String spec) {
        int resizeShorter = 0;
        int resizeWidth = 0;
        int resizeHeight = 0;
        int maxSide = 0;
        int cropWidth = 0;
        int cropHeight = 0;
        int multiple = 0;
        double scale = 1 / 255.0;
        double[] mean = {0};
        double[] std = {1};
        String layout = "auto";
        String channels = "auto";
        for (Map.Entry<String, String> pair : pairs.entrySet()) {
            String key = pair.getKey();
            String value = pair.getValue();
            switch (key) {
                case "resize" -> {
                    int[] size = size(key, value);
                    if (size.length == 1) {
                        resizeShorter = size[0];
                        resizeWidth = 0;
                        resizeHeight = 0;
                    } else {
                        resizeShorter = 0;
                        resizeWidth = size[0];
                        resizeHeight = size[1];
                    }
                }
                case "crop" -> {
                    int[] size = size(key, value);
                    cropWidth = size[0];
                    cropHeight = size.length == 1 ? size[0] : size[1];
                }
                case "max-side" -> maxSide = positive(key, value);
                case "multiple" -> multiple = positive(key, value);
                case "scale" -> scale = numbers(key, value)[0];
                case "mean" -> mean = numbers(key, value);
                case "std" -> {
                    std = numbers(key, value);
                    if (Arrays.stream(std).anyMatch(s -> s == 0)) {
                        throw new IllegalArgumentException("--preprocess: std " + MessageText.quote(value)
                                + " holds a zero");
                    }
                }
                case "layout" -> layout = oneOf(key, value, "nchw", "nhwc", "auto");
                case "channels" -> channels = oneOf(key, value, "rgb", "bgr", "gray", "auto");
                default -> throw new IllegalArgumentException("--preprocess: unknown key " + MessageText.quote(key)
                        + "; keys are resize, max-side, crop, multiple, scale, mean, std, layout, channels");
            }
        }
        return new ImagePreprocessing(resizeShorter, resizeWidth, resizeHeight, maxSide, cropWidth, cropHeight,
                multiple, scale, mean, std, layout, channels, spec);
    }

    private static int[] size(String key, String value) {
        String[] sides = value.toLowerCase(Locale.ROOT).split("x", -1);
        if (sides.length > 2) {
            throw bad(key, value, "N or WxH");
        }
        int[] size = new int[sides.length];
        for (int i = 0; i < sides.length; i++) {
            size[i] = positive(key, sides[i]);
        }
        return size;
    }

    private static int positive(String key, String value) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n < 1 || n > 100_000) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw bad(key, value, "a whole number of pixels from 1 to 100000");
        }
    }

    private static double[] numbers(String key, String value) {
        String[] parts = value.split(",");
        double[] numbers = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                numbers[i] = Double.parseDouble(parts[i].strip());
            } catch (NumberFormatException e) {
                throw bad(key, value, "a number or one number per channel, comma-separated");
            }
            if (!Double.isFinite(numbers[i])) {
                throw bad(key, value, "finite numbers");
            }
        }
        if (numbers.length != 1 && numbers.length != 3) {
            throw bad(key, value, "one number, or three (one per channel)");
        }
        return numbers;
    }

    private static String oneOf(String key, String value, String... allowed) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (!Arrays.asList(allowed).contains(lower)) {
            throw bad(key, value, String.join(" or ", allowed));
        }
        return lower;
    }

    private static IllegalArgumentException bad(String key, String value, String wanted) {
        return new IllegalArgumentException("--preprocess: " + key + "=" + MessageText.quote(value) + " is not "
                + wanted);
    }

    /** The mean of channel {@code c}. */
    double meanOf(int c) {
        return mean.length == 1 ? mean[0] : mean[c];
    }

    /** The std of channel {@code c}. */
    double stdOf(int c) {
        return std.length == 1 ? std[0] : std[c];
    }
}
