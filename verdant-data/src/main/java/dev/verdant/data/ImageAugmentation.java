package dev.verdant.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Random label-preserving changes to image samples during training: a translation by up to {@code maxShift} pixels
 * in each direction and, optionally, a left-right mirror, drawn independently for every sample of a batch. The
 * pixels a translation uncovers take the sample's background value (the smallest value of that channel in the
 * sample), so it works on raw or normalised pixels alike.
 *
 * <p>Written as {@code shift2}, {@code flip}, {@code shift2+flip} or {@code none} ({@link #parse}). In distillation
 * the teacher sees the same augmented batch as the student ("consistent teaching", Beyer et al. 2022), so the teacher
 * has to run on every batch: cached logits exist only for the original samples.
 *
 * @param maxShift        the largest translation in pixels, along each axis (0 for none)
 * @param horizontalFlip  whether half of the samples, drawn at random, are mirrored left to right
 */
public record ImageAugmentation(int maxShift, boolean horizontalFlip) {

    public ImageAugmentation {
        if (maxShift < 0 || maxShift > 64) {
            throw new IllegalArgumentException("an augmentation shift is 0 to 64 pixels, got " + maxShift);
        }
    }

    /** The augmentation that changes nothing. */
    public static ImageAugmentation none() {
        return new ImageAugmentation(0, false);
    }

    /**
     * Parses {@code shiftN}, {@code flip}, their combination with {@code +} ({@code shift2+flip}), or {@code none}.
     *
     * @throws IllegalArgumentException naming the part it does not know
     */
    public static ImageAugmentation parse(String spec) {
        int shift = 0;
        boolean flip = false;
        for (String part : spec.strip().toLowerCase(Locale.ROOT).split("\\+")) {
            if (part.equals("none")) {
                continue;
            } else if (part.equals("flip")) {
                flip = true;
            } else if (part.matches("shift\\d{1,2}")) {
                shift = Integer.parseInt(part.substring("shift".length()));
            } else {
                throw new IllegalArgumentException("unknown augmentation '" + part + "' in '" + spec
                        + "': use shiftN (N pixels), flip, both joined by + (shift2+flip), or none");
            }
        }
        return new ImageAugmentation(shift, flip);
    }

    /** Whether this changes nothing. */
    public boolean isIdentity() {
        return maxShift == 0 && !horizontalFlip;
    }

    /** The spec {@link #parse} reads back. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (maxShift > 0) {
            parts.add("shift" + maxShift);
        }
        if (horizontalFlip) {
            parts.add("flip");
        }
        return parts.isEmpty() ? "none" : String.join("+", parts);
    }

    /**
     * A new batch holding every sample of {@code batch} changed at random by {@code random}; labels and shape stay.
     *
     * @throws IllegalArgumentException for samples that are not images ({@code [H, W]} or {@code [C, H, W]})
     */
    public Batch apply(Batch batch, Random random) {
        long[] shape = batch.sampleShape();
        if (shape.length < 2 || shape.length > 3) {
            throw new IllegalArgumentException("image augmentation needs image samples [H, W] or [C, H, W], not "
                    + java.util.Arrays.toString(shape));
        }
        int channels = shape.length == 3 ? Math.toIntExact(shape[0]) : 1;
        int height = Math.toIntExact(shape[shape.length - 2]);
        int width = Math.toIntExact(shape[shape.length - 1]);
        int plane = height * width;
        float[] in = batch.features();
        float[] out = new float[in.length];
        for (int sample = 0; sample < batch.size(); sample++) {
            int dy = maxShift == 0 ? 0 : random.nextInt(2 * maxShift + 1) - maxShift;
            int dx = maxShift == 0 ? 0 : random.nextInt(2 * maxShift + 1) - maxShift;
            boolean mirror = horizontalFlip && random.nextBoolean();
            for (int c = 0; c < channels; c++) {
                int base = (sample * channels + c) * plane;
                float background = Float.POSITIVE_INFINITY;
                for (int i = base; i < base + plane; i++) {
                    background = Math.min(background, in[i]);
                }
                for (int y = 0; y < height; y++) {
                    int sourceY = y - dy;
                    for (int x = 0; x < width; x++) {
                        int shiftedX = x - dx; // output (y, x) reads the mirrored-or-not source at (y - dy, x - dx)
                        int sourceX = mirror ? width - 1 - shiftedX : shiftedX;
                        boolean inside = sourceY >= 0 && sourceY < height && shiftedX >= 0 && shiftedX < width;
                        out[base + y * width + x] = inside ? in[base + sourceY * width + sourceX] : background;
                    }
                }
            }
        }
        return new Batch(-1, out, batch.labels().clone(), shape);
    }
}
