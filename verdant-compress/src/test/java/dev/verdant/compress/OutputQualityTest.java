package dev.verdant.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.compress.pack.TestModels;
import dev.verdant.data.SpokenSentences;
import dev.verdant.data.SystemData;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.quality.MetricRegistry;
import dev.verdant.quality.OutputTolerance;
import dev.verdant.report.Compression;
import dev.verdant.report.Compression.OutputRow;
import dev.verdant.runtime.InputSample;
import dev.verdant.runtime.InputSamples;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.OrtRunner.Output;
import dev.verdant.runtime.SessionSpec;
import dev.verdant.runtime.StateLinks;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every output of a real model compared with the original's on real inputs, held to a stated tolerance, and the
 * reported figure recomputed here from the written model in ONNX Runtime: PP-OCR's text detector on lines of text
 * drawn with a system font, and Silero VAD, a stateful model, on speech synthesised by espeak-ng and run as
 * sequences.
 */
class OutputQualityTest {

    private static final Path FONT = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};
    private static final int WINDOW = 512;
    private static final int CONTEXT = 64;

    @TempDir
    Path dir;

    @Test
    void aTextDetectorsProbabilityMapIsJudgedByIouOfItsThresholdedMap() throws Exception {
        Path model = TestModels.ocrDetector().orElse(null);
        assumeTrue(model != null, "the PP-OCR models are missing: " + SystemData.NPM_MODELS.source());
        assumeTrue(Files.isRegularFile(FONT), "Debian package fonts-dejavu-core is missing");
        ModelProto original = OnnxModels.read(model);
        String input = OnnxGraph.of(original).inputs().get(0).getName();
        String output = OnnxGraph.of(original).outputs().get(0).getName();
        String[] lines = {"Green AI on the JVM", "Invoice 2026-12-07", "Total: 42.50 EUR", "VERDANT quality",
                "ONNX Runtime 1.22", "fashion mnist", "Silero voice activity", "compressed models"};
        List<InputSample> samples = new ArrayList<>();
        for (String line : lines) {
            samples.add(InputSample.single(line, Map.of(input, textImage(line))));
        }
        Path out = dir.resolve("det-shared.onnx");

        Compression report;
        try (MetricRegistry metrics = MetricRegistry.standard()) {
            CompressionRequest request = CompressionRequest.builder(model.toString(), out, Recipe.parse("share:4bit"))
                    .optInputs(new InputSamples("8 lines of text in DejaVu Sans", samples), null)
                    .optQuality(new QualitySpec(List.of(OutputTolerance.parse(output + "=iou@0.5>=0.0")),
                            StateLinks.none(), metrics))
                    .optThreads(1).optLatencyRounds(0).optMeasureEnergy(false).build();
            report = Compressor.run(request).compression();
        }

        OutputRow row = report.outputs().get(0);
        assertThat(row.output()).isEqualTo(output);
        assertThat(row.kind()).isEqualTo("probability-map");
        assertThat(row.examples()).isEqualTo(4);
        assertThat(row.measures()).containsKeys("cos", "max-abs", "iou@0.5");
        assertThat(row.tolerances()).containsExactly("iou@0.5>=0");
        assertThat(report.checks()).anySatisfy(c -> assertThat(c.name()).isEqualTo("tolerance " + output
                + "=iou@0.5>=0"));
        // recomputed from the written model: the IoU of the maps above 0.5 over the check images (the second half)
        double lowest = 1;
        int textPixels = 0;
        try (OrtRunner before = OrtRunner.open(original, SessionSpec.threads(1));
                OrtRunner after = OrtRunner.open(OnnxModels.read(out), SessionSpec.threads(1))) {
            for (InputSample sample : samples.subList(4, 8)) {
                float[] a = before.run(sample.steps().get(0)).get(output).values();
                float[] b = after.run(sample.steps().get(0)).get(output).values();
                int both = 0;
                int either = 0;
                for (int i = 0; i < a.length; i++) {
                    both += a[i] > 0.5 && b[i] > 0.5 ? 1 : 0;
                    either += a[i] > 0.5 || b[i] > 0.5 ? 1 : 0;
                    textPixels += a[i] > 0.5 ? 1 : 0;
                }
                lowest = Math.min(lowest, either == 0 ? 1 : (double) both / either);
            }
        }
        assertThat(textPixels).as("the detector finds the text").isGreaterThan(100);
        assertThat(row.measures().get("iou@0.5")).isCloseTo(lowest, within(1e-9));
    }

    @Test
    void aStatefulModelIsCalibratedOnTheStatesTheOriginalCarriesAndJudgedOverWholeSequences() throws Exception {
        Path model = TestModels.sileroVad16k().orElse(null);
        assumeTrue(model != null, "the Silero VAD model is missing: " + SystemData.NPM_MODELS.source());
        SpokenSentences.assumeInstalled();
        String[] sentences = {"The quick brown fox jumps over the lazy dog.", "Verdant measures the energy of models.",
                "Please call me back after lunch.", "Speech detection runs frame by frame."};
        List<InputSample> samples = new ArrayList<>();
        for (String sentence : sentences) {
            samples.add(new InputSample(sentence, sileroSteps(SpokenSentences.speak(sentence, dir))));
        }
        InputSamples inputs = new InputSamples("4 sentences spoken by espeak-ng", samples);
        Path out = dir.resolve("vad-int8.onnx");
        StateLinks states = StateLinks.parse(List.of("stateN=state"));

        try (MetricRegistry metrics = MetricRegistry.standard()) {
            QualitySpec spec = new QualitySpec(List.of(OutputTolerance.parse("output=max-abs<=1")), states, metrics);
            CompressionRequest request = CompressionRequest.builder(model.toString(), out,
                    Recipe.parse("int8-static")).optInputs(inputs, null).optQuality(spec).optThreads(1)
                    .optLatencyRounds(0).optMeasureEnergy(false).build();

            // calibration sees the state the original carried into each step, not zeros
            EvaluationData data = EvaluationData.load(OnnxModels.read(model), null, request.model(), request)
                    .orElseThrow();
            assertThat(data.sequences()).hasSize(2);
            List<CalibrationSample> calibration = data.calibration();
            assertThat(calibration).hasSize(samples.get(0).steps().size() + samples.get(1).steps().size());
            assertThat(calibration.get(0).inputs().get("state").floats()).containsOnly(0f);
            float[] carried = calibration.get(5).inputs().get("state").floats();
            assertThat(java.util.stream.IntStream.range(0, carried.length).filter(i -> carried[i] != 0f).count())
                    .isGreaterThan(0);

            Compression report = Compressor.run(request).compression();
            OutputRow speech = report.outputs().stream().filter(r -> r.output().equals("output")).findFirst()
                    .orElseThrow();
            assertThat(speech.examples()).isEqualTo(2);
            assertThat(speech.kind()).isEqualTo("probability");
            assertThat(report.outputs()).anySatisfy(r -> {
                assertThat(r.output()).isEqualTo("stateN");
                assertThat(r.tolerances()).isEmpty();
            });

            // recomputed by a loop written here: each model carries its own state through each check sentence
            double maxAbs = 0;
            double peak = 0;
            try (OrtRunner before = OrtRunner.open(OnnxModels.read(model), SessionSpec.threads(1));
                    OrtRunner after = OrtRunner.open(OnnxModels.read(out), SessionSpec.threads(1))) {
                for (InputSample sample : samples.subList(2, 4)) {
                    InputTensor stateA = InputTensor.ofFloats(new long[] {2, 1, 128}, new float[256]);
                    InputTensor stateB = stateA;
                    for (Map<String, InputTensor> step : sample.steps()) {
                        Map<String, Output> a = before.run(with(step, stateA));
                        Map<String, Output> b = after.run(with(step, stateB));
                        maxAbs = Math.max(maxAbs, Math.abs(a.get("output").values()[0] - b.get("output").values()[0]));
                        peak = Math.max(peak, a.get("output").values()[0]);
                        stateA = InputTensor.ofFloats(a.get("stateN").shape(), a.get("stateN").values());
                        stateB = InputTensor.ofFloats(b.get("stateN").shape(), b.get("stateN").values());
                    }
                }
            }
            assertThat(peak).as("the original hears speech").isGreaterThan(0.5);
            assertThat(speech.measures().get("max-abs")).isCloseTo(maxAbs, within(1e-6));
        }
    }

    private static Map<String, InputTensor> with(Map<String, InputTensor> step, InputTensor state) {
        Map<String, InputTensor> inputs = new java.util.HashMap<>(step);
        inputs.put("state", state);
        return inputs;
    }

    /** One line of black text on white, 64 x 320, normalized as PP-OCR's detector expects (ImageNet mean/std). */
    private static InputTensor textImage(String line) throws Exception {
        int height = 64;
        int width = 320;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(Font.createFont(Font.TRUETYPE_FONT, FONT.toFile()).deriveFont(26f));
        g.drawString(line, 12, 42);
        g.dispose();
        float[] values = new float[3 * height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                int[] channel = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
                for (int c = 0; c < 3; c++) {
                    values[(c * height + y) * width + x] = (channel[c] / 255f - MEAN[c]) / STD[c];
                }
            }
        }
        return InputTensor.ofFloats(new long[] {1, 3, height, width}, values);
    }

    /** Silero VAD v5's steps at 16 kHz: 512 new samples after 64 of the window before, and the sample rate. */
    static List<Map<String, InputTensor>> sileroSteps(float[] audio) {
        List<Map<String, InputTensor>> steps = new ArrayList<>();
        for (float[] window : SpokenSentences.windows(audio, WINDOW, CONTEXT)) {
            steps.add(Map.of("input", InputTensor.ofFloats(new long[] {1, CONTEXT + WINDOW}, window),
                    "sr", InputTensor.ofLongs(new long[0], new long[] {SpokenSentences.SAMPLE_RATE})));
        }
        return steps;
    }
}
