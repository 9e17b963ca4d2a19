package dev.verdant.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageAugmentationTest {

    /** Two 1x3x4 samples with distinct pixel values; background (minimum) -1 in the first, 0 in the second. */
    private static Batch batch() {
        float[] features = new float[2 * 12];
        for (int i = 0; i < 12; i++) {
            features[i] = i == 0 ? -1f : i;
            features[12 + i] = 100 + i;
        }
        features[12] = 0f;
        return new Batch(0, features, new int[] {3, 7}, new long[] {1, 3, 4});
    }

    @Test
    void specsParseAndPrintBack() {
        assertThat(ImageAugmentation.parse("shift2+flip")).isEqualTo(new ImageAugmentation(2, true));
        assertThat(ImageAugmentation.parse("flip").describe()).isEqualTo("flip");
        assertThat(ImageAugmentation.parse("none").isIdentity()).isTrue();
        assertThat(ImageAugmentation.parse("SHIFT3").describe()).isEqualTo("shift3");
        assertThatThrownBy(() -> ImageAugmentation.parse("shift2+rotate")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'rotate'");
    }

    @Test
    void everyOutputPixelIsTheSourceShiftedOrMirroredOrTheBackground() {
        Batch in = batch();
        ImageAugmentation augmentation = new ImageAugmentation(1, true);
        boolean sawChange = false;
        for (int seed = 0; seed < 20; seed++) {
            Batch out = augmentation.apply(in, new Random(seed));
            assertThat(out.labels()).containsExactly(3, 7);
            assertThat(out.sampleShape()).containsExactly(1, 3, 4);
            for (int s = 0; s < 2; s++) {
                float background = s == 0 ? -1f : 0f;
                // find the (dy, dx, mirror) that explains the whole sample; exactly one must
                int explained = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        for (boolean mirror : new boolean[] {false, true}) {
                            if (matches(in.features(), out.features(), s, dy, dx, mirror, background)) {
                                explained++;
                                sawChange |= dy != 0 || dx != 0 || mirror;
                            }
                        }
                    }
                }
                assertThat(explained).as("seed %d sample %d", seed, s).isEqualTo(1);
            }
        }
        assertThat(sawChange).isTrue();
        assertThat(in.features()[1]).isEqualTo(1f); // the input batch is left as it was
    }

    @Test
    void theSameSeedGivesTheSameBatchAndNonImagesAreRefused() {
        ImageAugmentation augmentation = ImageAugmentation.parse("shift2+flip");
        assertThat(augmentation.apply(batch(), new Random(5)).features())
                .containsExactly(augmentation.apply(batch(), new Random(5)).features());
        Batch flat = new Batch(0, new float[8], new int[] {0, 1}, new long[] {4});
        assertThatThrownBy(() -> augmentation.apply(flat, new Random(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[H, W]");
    }

    private static boolean matches(float[] in, float[] out, int sample, int dy, int dx, boolean mirror,
            float background) {
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                int sy = y - dy;
                int sx = x - dx;
                float expected = sy < 0 || sy >= 3 || sx < 0 || sx >= 4 ? background
                        : in[sample * 12 + sy * 4 + (mirror ? 3 - sx : sx)];
                if (out[sample * 12 + y * 4 + x] != expected) {
                    return false;
                }
            }
        }
        return true;
    }
}
