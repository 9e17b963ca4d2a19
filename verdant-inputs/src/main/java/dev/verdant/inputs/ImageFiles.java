package dev.verdant.inputs;

import dev.verdant.io.InputFiles;
import dev.verdant.io.MessageText;
import dev.verdant.onnx.DataType;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.ModelInputs;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * Images (anything the JDK's ImageIO decodes: PNG, JPEG, BMP, GIF, TIFF) turned into a model's float input by an
 * {@link ImagePreprocessing}: one example of shape {@code [1, C, H, W]} or {@code [1, H, W, C]}.
 */
public final class ImageFiles {

    private ImageFiles() {
    }

    /**
     * Decodes {@code file}.
     *
     * @throws IllegalArgumentException with one line naming the file when it does not decode as an image
     */
    public static BufferedImage decode(Path file) {
        InputFiles.requireReadable(file, "an image");
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            // ImageIO's plugins throw IIOException and, for some damaged files, runtime exceptions
            throw new IllegalArgumentException(file + " does not decode as an image: "
                    + MessageText.oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        if (image == null) {
            throw new IllegalArgumentException(file + " does not decode as an image (PNG, JPEG, BMP, GIF and TIFF "
                    + "are read)");
        }
        if (image.getWidth() < 1 || image.getHeight() < 1) {
            throw new IllegalArgumentException(file + " is an empty image");
        }
        return image;
    }

    /**
     * {@code image} as one example for {@code input} (a float input of rank 4), preprocessed as {@code preprocessing}
     * says; the layout and channel count come from the preprocessing, else from the input's declared shape.
     *
     * @param source the image's file, for messages
     * @throws IllegalArgumentException with one line naming the image and the input when they cannot fit
     */
    public static NamedTensor tensor(BufferedImage image, String source, ModelInputs.Input input,
            ImagePreprocessing preprocessing) {
        long[] declared = input.shape();
        if (input.type() != DataType.FLOAT || declared.length != 4) {
            throw new IllegalArgumentException("image " + source + " does not fit model input '" + input.name()
                    + "' (" + input.type().onnxName() + " " + Arrays.toString(declared)
                    + "): an image feeds a float input of rank 4 (NCHW or NHWC)");
        }
        boolean nhwc = switch (preprocessing.layout()) {
            case "nhwc" -> true;
            case "nchw" -> false;
            default -> !isChannels(declared[1]) && isChannels(declared[3]);
        };
        long declaredChannels = nhwc ? declared[3] : declared[1];
        String channels = preprocessing.channels().equals("auto")
                ? (declaredChannels == 1 ? "gray" : "rgb") : preprocessing.channels();
        int channelCount = channels.equals("gray") ? 1 : 3;
        if (preprocessing.mean().length > channelCount || preprocessing.std().length > channelCount) {
            throw new IllegalArgumentException("--preprocess gives " + Math.max(preprocessing.mean().length,
                    preprocessing.std().length) + " means or stds for " + channelCount + " " + channels + " channel");
        }
        long fixedHeight = nhwc ? declared[1] : declared[2];
        long fixedWidth = nhwc ? declared[2] : declared[3];
        BufferedImage sized = size(image, preprocessing, fixedWidth, fixedHeight);
        int width = sized.getWidth();
        int height = sized.getHeight();
        float[] values = new float[channelCount * width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = sized.getRGB(x, y);
                int r = rgb >> 16 & 0xFF;
                int g = rgb >> 8 & 0xFF;
                int b = rgb & 0xFF;
                for (int c = 0; c < channelCount; c++) {
                    double pixel = switch (channels) {
                        // ITU-R BT.601 luma, as PIL's convert("L") takes it; a gray pixel stays exactly itself
                        case "gray" -> r == g && g == b ? r : 0.299 * r + 0.587 * g + 0.114 * b;
                        case "bgr" -> c == 0 ? b : c == 1 ? g : r;
                        default -> c == 0 ? r : c == 1 ? g : b;
                    };
                    double value = (pixel * preprocessing.scale() - preprocessing.meanOf(c)) / preprocessing.stdOf(c);
                    int index = nhwc ? (y * width + x) * channelCount + c : (c * height + y) * width + x;
                    values[index] = (float) value;
                }
            }
        }
        long[] shape = nhwc ? new long[] {1, height, width, channelCount} : new long[] {1, channelCount, height, width};
        return new NamedTensor(input.name(), InputTensor.ofFloats(shape, values),
                source + " (" + image.getWidth() + "x" + image.getHeight() + ", " + preprocessing.spec() + ")");
    }

    private static boolean isChannels(long dim) {
        return dim == 1 || dim == 3;
    }

    /** Resize, crop and round as the preprocessing says, or to the model's fixed size when it says neither. */
    static BufferedImage size(BufferedImage decoded, ImagePreprocessing p, long fixedWidth, long fixedHeight) {
        BufferedImage image = rgb(decoded);
        int width = image.getWidth();
        int height = image.getHeight();
        int targetWidth = width;
        int targetHeight = height;
        boolean declaresSize = p.resizeShorter() > 0 || p.resizeWidth() > 0 || p.cropWidth() > 0 || p.maxSide() > 0
                || p.multiple() > 0;
        if (p.resizeWidth() > 0) {
            targetWidth = p.resizeWidth();
            targetHeight = p.resizeHeight();
        } else if (p.resizeShorter() > 0) {
            double factor = (double) p.resizeShorter() / Math.min(width, height);
            targetWidth = Math.max(1, (int) Math.round(width * factor));
            targetHeight = Math.max(1, (int) Math.round(height * factor));
        } else if (!declaresSize && fixedWidth > 0 && fixedHeight > 0) {
            targetWidth = (int) fixedWidth;
            targetHeight = (int) fixedHeight;
        }
        if (p.maxSide() > 0 && Math.max(targetWidth, targetHeight) > p.maxSide()) {
            double factor = (double) p.maxSide() / Math.max(targetWidth, targetHeight);
            targetWidth = Math.max(1, (int) Math.round(targetWidth * factor));
            targetHeight = Math.max(1, (int) Math.round(targetHeight * factor));
        }
        if (p.multiple() > 0) {
            targetWidth = Math.max(p.multiple(), Math.round((float) targetWidth / p.multiple()) * p.multiple());
            targetHeight = Math.max(p.multiple(), Math.round((float) targetHeight / p.multiple()) * p.multiple());
        }
        BufferedImage resized = targetWidth == width && targetHeight == height ? image
                : resize(image, targetWidth, targetHeight);
        if (p.cropWidth() > 0) {
            if (p.cropWidth() > targetWidth || p.cropHeight() > targetHeight) {
                throw new IllegalArgumentException("--preprocess crops " + p.cropWidth() + "x" + p.cropHeight()
                        + " from an image of " + targetWidth + "x" + targetHeight + " after resizing; resize it larger");
            }
            int x = (targetWidth - p.cropWidth()) / 2;
            int y = (targetHeight - p.cropHeight()) / 2;
            resized = resized.getSubimage(x, y, p.cropWidth(), p.cropHeight());
        }
        return resized;
    }

    /**
     * The image as 8-bit RGB. A gray image's samples are copied as they are: ImageIO gives gray PNGs a linear gray
     * colour space, and Java's own conversion to RGB would change every value by a gamma curve.
     */
    private static BufferedImage rgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        java.awt.image.Raster raster = image.getRaster();
        if (raster.getNumBands() <= 2 && !(image.getColorModel() instanceof java.awt.image.IndexColorModel)) {
            int bits = image.getColorModel().getComponentSize(0);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    int v = raster.getSample(x, y, 0);
                    v = bits > 8 ? v >> (bits - 8) : bits < 8 ? v * 255 / ((1 << bits) - 1) : v;
                    out.setRGB(x, y, v << 16 | v << 8 | v);
                }
            }
            return out;
        }
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static BufferedImage resize(BufferedImage image, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
