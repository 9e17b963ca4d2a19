package dev.verdant.inputs;

import dev.verdant.io.InputFiles;
import dev.verdant.io.MessageText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * WAV audio as the float samples a 1-D model reads (in [-1, 1], channels averaged to mono), read with the JDK's
 * {@code javax.sound.sampled}: 8-, 16-, 24- and 32-bit PCM and 32-bit float. Verdant does not resample: a file at
 * another rate than the model's is refused, named.
 */
public final class WavFiles {

    private WavFiles() {
    }

    /**
     * The samples of {@code file}.
     *
     * @param sampleRate the rate the model is fed at, in Hz
     * @throws IllegalArgumentException with one line naming the file when it is not a WAV Java reads, or is at
     *                                  another rate
     */
    public static float[] read(Path file, int sampleRate) {
        InputFiles.requireReadable(file, "a WAV file");
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            AudioFormat format = in.getFormat();
            if (Math.round(format.getSampleRate()) != sampleRate) {
                throw new IllegalArgumentException(file + " is sampled at " + Math.round(format.getSampleRate())
                        + " Hz; the model is fed at " + sampleRate + " Hz (--sample-rate): resample it "
                        + "(sox IN -r " + sampleRate + " OUT) or give --sample-rate "
                        + Math.round(format.getSampleRate()));
            }
            AudioFormat.Encoding encoding = format.getEncoding();
            int bits = format.getSampleSizeInBits();
            boolean pcm = encoding.equals(AudioFormat.Encoding.PCM_SIGNED)
                    || encoding.equals(AudioFormat.Encoding.PCM_UNSIGNED);
            boolean floats = encoding.equals(AudioFormat.Encoding.PCM_FLOAT) && bits == 32;
            if (!(pcm && (bits == 8 || bits == 16 || bits == 24 || bits == 32)) && !floats) {
                throw new IllegalArgumentException(file + " holds " + encoding + " audio of " + bits
                        + " bits; 8-, 16-, 24- and 32-bit PCM and 32-bit float are read");
            }
            byte[] bytes = in.readAllBytes();
            int channels = format.getChannels();
            int width = bits / 8;
            long declared = in.getFrameLength();
            if (declared != AudioSystem.NOT_SPECIFIED && bytes.length < declared * width * channels) {
                throw new IllegalArgumentException(file + " ends after " + bytes.length / (width * channels)
                        + " of the " + declared + " samples its header declares; it is cut short");
            }
            int frames = bytes.length / (width * channels);
            ByteBuffer buffer = ByteBuffer.wrap(bytes)
                    .order(format.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            float[] samples = new float[frames];
            for (int i = 0; i < frames; i++) {
                double sum = 0;
                for (int c = 0; c < channels; c++) {
                    int at = (i * channels + c) * width;
                    sum += floats ? buffer.getFloat(at)
                            : sample(buffer, at, bits, encoding.equals(AudioFormat.Encoding.PCM_UNSIGNED));
                }
                samples[i] = (float) (sum / channels);
            }
            if (samples.length == 0) {
                throw new IllegalArgumentException(file + " holds no audio");
            }
            return samples;
        } catch (UnsupportedAudioFileException e) {
            throw new IllegalArgumentException(file + " is not a WAV file Java reads: "
                    + MessageText.oneLine(e.getMessage()), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** One PCM sample scaled to [-1, 1). */
    private static double sample(ByteBuffer buffer, int at, int bits, boolean unsigned) {
        return switch (bits) {
            case 8 -> unsigned ? ((buffer.get(at) & 0xFF) - 128) / 128.0 : buffer.get(at) / 128.0;
            case 16 -> buffer.getShort(at) / 32768.0;
            case 24 -> {
                int b0 = buffer.get(at) & 0xFF;
                int b1 = buffer.get(at + 1) & 0xFF;
                int b2 = buffer.get(at + 2);
                int v = buffer.order() == ByteOrder.LITTLE_ENDIAN ? b2 << 16 | b1 << 8 | b0
                        : (byte) b0 << 16 | b1 << 8 | (b2 & 0xFF);
                yield v / 8388608.0;
            }
            default -> buffer.getInt(at) / 2147483648.0;
        };
    }
}
