import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * The issue-23 proof's independent check: opens the original and the chosen model with ONNX Runtime's Java API
 * directly (none of Verdant's runtime, inputs or quality classes), feeds both every real input of a folder made by
 * MakeInputs.java with the model's own preprocessing written out here again, and recomputes the stated measure.
 *
 * <pre>
 * bench/run-java.sh verdant-runtime bench/any-model/IndependentCheck.java KIND ORIGINAL.onnx CHOSEN.onnx FOLDER
 * </pre>
 *
 * KIND: {@code ppocr-det} (RGB/255, ImageNet mean/std; lowest IoU over pages of the maps above 0.5),
 * {@code ppocr-rec} (RGB, (x/255-0.5)/0.5; share of positions whose argmax agrees), {@code silero-vad} (16 kHz WAV
 * in frames of 512 samples, the last padded with zeros, state fed back from stateN, sr=16000; largest |difference|
 * of the speech probability over every frame of every sentence), {@code gray-classifier} (grey PNG/255; share of
 * images whose argmax agrees, largest |difference| of the logits).
 */
public final class IndependentCheck {

    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: IndependentCheck ppocr-det|ppocr-rec|silero-vad|gray-classifier ORIGINAL CHOSEN "
                    + "FOLDER");
            System.exit(2);
        }
        String kind = args[0];
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession original = env.createSession(args[1], options);
                    OrtSession chosen = env.createSession(args[2], options)) {
                List<Path> files = files(Path.of(args[3]));
                String result = switch (kind) {
                    case "ppocr-det" -> detection(env, original, chosen, files);
                    case "ppocr-rec" -> recognition(env, original, chosen, files);
                    case "silero-vad" -> voiceActivity(env, original, chosen, files);
                    case "gray-classifier" -> classifier(env, original, chosen, files);
                    default -> throw new IllegalArgumentException("unknown kind " + kind);
                };
                System.out.println(kind + " over " + files.size() + " files of " + args[3] + ": " + result);
            }
        }
    }

    private static List<Path> files(Path folder) throws Exception {
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static String detection(OrtEnvironment env, OrtSession original, OrtSession chosen, List<Path> files)
            throws Exception {
        double lowest = 1;
        double sum = 0;
        for (Path file : files) {
            Tensor page = rgb(file, IMAGENET_MEAN, IMAGENET_STD);
            float[] a = firstOutput(env, original, page).values();
            float[] b = firstOutput(env, chosen, page).values();
            long both = 0;
            long either = 0;
            for (int i = 0; i < a.length; i++) {
                boolean x = a[i] > 0.5f;
                boolean y = b[i] > 0.5f;
                both += x && y ? 1 : 0;
                either += x || y ? 1 : 0;
            }
            double iou = either == 0 ? 1 : (double) both / either;
            lowest = Math.min(lowest, iou);
            sum += iou;
        }
        return String.format(Locale.ROOT, "iou@0.5 lowest %.4f, mean %.4f", lowest, sum / files.size());
    }

    private static String recognition(OrtEnvironment env, OrtSession original, OrtSession chosen, List<Path> files)
            throws Exception {
        float[] half = {0.5f, 0.5f, 0.5f};
        long rows = 0;
        long agree = 0;
        for (Path file : files) {
            Tensor line = rgb(file, half, half);
            Tensor reference = firstOutput(env, original, line);
            float[] a = reference.values();
            float[] b = firstOutput(env, chosen, line).values();
            int classes = (int) reference.shape()[reference.shape().length - 1];
            for (int r = 0; r < a.length / classes; r++) {
                rows++;
                agree += argmax(a, r * classes, classes) == argmax(b, r * classes, classes) ? 1 : 0;
            }
        }
        return String.format(Locale.ROOT, "top1-agree %.4f (%d of %d positions)", (double) agree / rows, agree, rows);
    }

    private static String voiceActivity(OrtEnvironment env, OrtSession original, OrtSession chosen, List<Path> files)
            throws Exception {
        double worst = 0;
        long frames = 0;
        for (Path file : files) {
            float[] audio = wav(file);
            float[] stateA = new float[2 * 128];
            float[] stateB = new float[2 * 128];
            for (int start = 0; start < audio.length; start += 512) {
                float[] frame = new float[512];
                System.arraycopy(audio, start, frame, 0, Math.min(512, audio.length - start));
                float[][] a = vadStep(env, original, frame, stateA);
                float[][] b = vadStep(env, chosen, frame, stateB);
                worst = Math.max(worst, Math.abs(a[0][0] - b[0][0]));
                stateA = a[1];
                stateB = b[1];
                frames++;
            }
        }
        return String.format(Locale.ROOT, "output max-abs %.5f over %d frames of 512 samples", worst, frames);
    }

    private static float[][] vadStep(OrtEnvironment env, OrtSession session, float[] frame, float[] state)
            throws Exception {
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(frame), new long[] {1, 512});
                OnnxTensor stateIn = OnnxTensor.createTensor(env, FloatBuffer.wrap(state), new long[] {2, 1, 128});
                OnnxTensor sr = OnnxTensor.createTensor(env, 16000L);
                OrtSession.Result result = session.run(Map.of("input", input, "state", stateIn, "sr", sr))) {
            float[] probability = floats((OnnxTensor) result.get("output").orElseThrow());
            float[] next = floats((OnnxTensor) result.get("stateN").orElseThrow());
            return new float[][] {probability, next};
        }
    }

    private static String classifier(OrtEnvironment env, OrtSession original, OrtSession chosen, List<Path> files)
            throws Exception {
        int agree = 0;
        double worst = 0;
        for (Path file : files) {
            BufferedImage image = ImageIO.read(file.toFile());
            float[] pixels = new float[image.getWidth() * image.getHeight()];
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    pixels[y * image.getWidth() + x] = (image.getRaster().getSample(x, y, 0)) / 255f;
                }
            }
            long[] shape = {1, 1, image.getHeight(), image.getWidth()};
            float[] a = firstOutput(env, original, new Tensor(pixels, shape)).values();
            float[] b = firstOutput(env, chosen, new Tensor(pixels, shape)).values();
            agree += argmax(a, 0, a.length) == argmax(b, 0, b.length) ? 1 : 0;
            for (int i = 0; i < a.length; i++) {
                worst = Math.max(worst, Math.abs(a[i] - b[i]));
            }
        }
        return String.format(Locale.ROOT, "top1-agree %.4f (%d of %d images), logits max-abs %.5f",
                (double) agree / files.size(), agree, files.size(), worst);
    }

    /** One input tensor: its values and shape. */
    private record Tensor(float[] values, long[] shape) {
    }

    /** An RGB image as a 1x3xHxW tensor: (x/255 - mean) / std per channel. */
    private static Tensor rgb(Path file, float[] mean, float[] std) throws Exception {
        BufferedImage image = ImageIO.read(file.toFile());
        int w = image.getWidth();
        int h = image.getHeight();
        float[] values = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                int[] channel = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
                for (int c = 0; c < 3; c++) {
                    values[(c * h + y) * w + x] = (channel[c] / 255f - mean[c]) / std[c];
                }
            }
        }
        return new Tensor(values, new long[] {1, 3, h, w});
    }

    /** The first output's values and shape. */
    private static Tensor firstOutput(OrtEnvironment env, OrtSession session, Tensor input) throws Exception {
        String name = session.getInputNames().iterator().next();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.values()), input.shape());
                OrtSession.Result result = session.run(Map.of(name, tensor))) {
            OnnxTensor output = (OnnxTensor) result.get(0);
            return new Tensor(floats(output), output.getInfo().getShape());
        }
    }

    private static float[] floats(OnnxTensor tensor) {
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    private static int argmax(float[] values, int offset, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            best = values[offset + i] > values[offset + best] ? i : best;
        }
        return best;
    }

    /** A 16 kHz mono 16-bit WAV as samples in [-1, 1]. */
    private static float[] wav(Path file) throws Exception {
        try (AudioInputStream stream = AudioSystem.getAudioInputStream(new File(file.toString()))) {
            AudioFormat format = stream.getFormat();
            if (format.getSampleRate() != 16000 || format.getChannels() != 1 || format.getSampleSizeInBits() != 16) {
                throw new IllegalArgumentException(file + " is not 16 kHz mono 16-bit: " + format);
            }
            byte[] bytes = stream.readAllBytes();
            ByteBuffer buffer = ByteBuffer.wrap(bytes)
                    .order(format.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            float[] samples = new float[bytes.length / 2];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = buffer.getShort() / 32768f;
            }
            return samples;
        }
    }

    private IndependentCheck() {
    }
}
