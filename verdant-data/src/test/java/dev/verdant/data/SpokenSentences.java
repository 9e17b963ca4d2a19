package dev.verdant.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Assumptions;

/**
 * Real speech for the tests of speech models: sentences spoken by espeak-ng (Debian {@code espeak-ng}), read back
 * with the JDK's {@code javax.sound.sampled} and resampled to 16 kHz, and cut into the overlapping windows a
 * streaming model reads.
 */
public final class SpokenSentences {

    /** The synthesiser. */
    public static final Path ESPEAK = Path.of("/usr/bin/espeak-ng");
    /** The rate the samples are returned at. */
    public static final int SAMPLE_RATE = 16_000;

    private SpokenSentences() {
    }

    /** Skips the calling test, naming the package, unless espeak-ng is installed. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(ESPEAK), "skipped: Debian package espeak-ng is missing");
    }

    /** {@code sentence} spoken by espeak-ng into a WAV file in {@code folder}, as 16 kHz mono samples in [-1, 1]. */
    public static float[] speak(String sentence, Path folder) throws Exception {
        File wav = folder.resolve(Integer.toHexString(sentence.hashCode()) + ".wav").toFile();
        Process process = new ProcessBuilder(ESPEAK.toString(), "-w", wav.getPath(), sentence)
                .redirectErrorStream(true).start();
        process.getInputStream().transferTo(OutputStream.nullOutputStream());
        assertThat(process.waitFor()).as("espeak-ng").isZero();
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav)) {
            AudioFormat format = in.getFormat();
            assertThat(format.getChannels()).isEqualTo(1);
            assertThat(format.getSampleSizeInBits()).isEqualTo(16);
            byte[] bytes = in.readAllBytes();
            float[] source = new float[bytes.length / 2];
            for (int i = 0; i < source.length; i++) {
                int first = bytes[2 * i] & 0xff;
                int second = bytes[2 * i + 1] & 0xff;
                source[i] = (short) (format.isBigEndian() ? (first << 8) | second : (second << 8) | first) / 32768f;
            }
            // linear interpolation from espeak-ng's rate to 16 kHz
            double ratio = format.getSampleRate() / SAMPLE_RATE;
            float[] resampled = new float[(int) (source.length / ratio)];
            for (int i = 0; i < resampled.length; i++) {
                double at = i * ratio;
                int left = (int) at;
                int right = Math.min(left + 1, source.length - 1);
                resampled[i] = (float) (source[left] + (source[right] - source[left]) * (at - left));
            }
            return resampled;
        }
    }

    /**
     * Windows of {@code window} new samples after the last {@code context} samples of the window before (zeros
     * before the first), as a streaming model such as Silero VAD v5 reads audio (512 and 64 at 16 kHz); a tail
     * shorter than a window is dropped.
     */
    public static List<float[]> windows(float[] audio, int window, int context) {
        List<float[]> windows = new ArrayList<>();
        for (int start = 0; start + window <= audio.length; start += window) {
            float[] values = new float[context + window];
            int from = Math.max(0, start - context);
            System.arraycopy(audio, from, values, context + window - (start + window - from), start + window - from);
            windows.add(values);
        }
        return windows;
    }
}
