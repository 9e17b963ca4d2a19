package dev.verdant.inputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.onnx.DataType;
import dev.verdant.runtime.InputSamples;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.ModelInputs;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images in, model tensors out: real Fashion-MNIST pixels through PNG, and the ImageNet presets' arithmetic. */
class ImageFilesTest {

    @TempDir
    Path dir;

    private static ModelInputs model(long... shape) {
        return new ModelInputs(List.of(new ModelInputs.Input("image", DataType.FLOAT, shape)));
    }

    @Test
    void aFolderOfFashionMnistPngsGivesThePixelsBack() throws Exception {
        ImageDataset images = Datasets.resolveImages(Datasets.FASHION_MNIST_SAMPLE).loadAll();
        Path folder = Files.createDirectories(dir.resolve("pngs"));
        for (int i = 0; i < 3; i++) {
            BufferedImage png = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            float[] pixels = images.image(i);
            for (int p = 0; p < pixels.length; p++) {
                png.getRaster().setSample(p % 28, p / 28, 0, Math.round(pixels[p] * 255));
            }
            assertThat(ImageIO.write(png, "png", folder.resolve("item-" + i + ".png").toFile())).isTrue();
        }
        InputSamples samples = InputsReader.read(InputsSpec.of(folder), model(-1, 1, 28, 28));
        assertThat(samples.samples()).hasSize(3);
        assertThat(samples.description()).startsWith("3 examples from " + folder + " (3 image)")
                .contains("preprocessed as unit");
        for (int i = 0; i < 3; i++) {
            InputTensor tensor = samples.samples().get(i).steps().get(0).get("image");
            assertThat(tensor.shape()).containsExactly(1, 1, 28, 28);
            assertThat(tensor.floats()).containsExactly(images.image(i));
        }
    }

    @Test
    void theImagenetPresetsResizeCropScaleAndNormalizeInTheirChannelOrder() throws Exception {
        BufferedImage orange = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 400; x++) {
                orange.setRGB(x, y, 255 << 16 | 128 << 8);
            }
        }
        ModelInputs.Input nchw = new ModelInputs.Input("image", DataType.FLOAT, new long[] {-1, 3, 224, 224});
        float[] rgb = ImageFiles.tensor(orange, "orange", nchw, ImagePreprocessing.parse("imagenet")).tensor()
                .floats();
        int plane = 224 * 224;
        int center = 112 * 224 + 112;
        assertThat(rgb).hasSize(3 * plane);
        assertThat(rgb[center]).isCloseTo((float) ((1 - 0.485) / 0.229), within(1e-5f));
        assertThat(rgb[plane + center]).isCloseTo((float) ((128 / 255.0 - 0.456) / 0.224), within(1e-5f));
        assertThat(rgb[2 * plane + center]).isCloseTo((float) ((0 - 0.406) / 0.225), within(1e-5f));

        float[] bgr = ImageFiles.tensor(orange, "orange", nchw, ImagePreprocessing.parse("imagenet-bgr")).tensor()
                .floats();
        // blue first, with the first mean and std: how PaddleOCR feeds its detector
        assertThat(bgr[center]).isCloseTo((float) ((0 - 0.485) / 0.229), within(1e-5f));
        assertThat(bgr[2 * plane + center]).isCloseTo((float) ((1 - 0.406) / 0.225), within(1e-5f));

        ModelInputs.Input nhwc = new ModelInputs.Input("image", DataType.FLOAT, new long[] {1, 224, 224, 3});
        InputTensor channelsLast = ImageFiles.tensor(orange, "orange", nhwc, ImagePreprocessing.parse("imagenet"))
                .tensor();
        assertThat(channelsLast.shape()).containsExactly(1, 224, 224, 3);
        assertThat(channelsLast.floats()[center * 3]).isEqualTo(rgb[center]);
        assertThat(channelsLast.floats()[center * 3 + 2]).isEqualTo(rgb[2 * plane + center]);
    }

    @Test
    void withoutASizeTheModelsFixedSizeIsTakenElseTheImagesOwn() {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        ImagePreprocessing unit = ImagePreprocessing.parse(null);
        ModelInputs.Input fixed = new ModelInputs.Input("x", DataType.FLOAT, new long[] {1, 3, 32, 32});
        assertThat(ImageFiles.tensor(image, "i", fixed, unit).tensor().shape()).containsExactly(1, 3, 32, 32);
        ModelInputs.Input dynamic = new ModelInputs.Input("x", DataType.FLOAT, new long[] {-1, 3, -1, -1});
        assertThat(ImageFiles.tensor(image, "i", dynamic, unit).tensor().shape()).containsExactly(1, 3, 48, 64);
        // a detector's sizing: the longer side at most 40, both sides a multiple of 16
        ImagePreprocessing detector = ImagePreprocessing.parse("imagenet-bgr,resize=64x48,crop=64x48,max-side=40,"
                + "multiple=16");
        assertThat(ImageFiles.size(image, new ImagePreprocessing(0, 0, 0, 40, 0, 0, 16, 1, new double[] {0},
                new double[] {1}, "auto", "auto", "t"), -1, -1).getWidth()).isEqualTo(48);
        assertThat(detector.multiple()).isEqualTo(16);
        assertThat(detector.channels()).isEqualTo("bgr");
    }

    @Test
    void anImageThatDoesNotDecodeIsOneLineNamingTheFile() throws Exception {
        Path text = Files.writeString(dir.resolve("photo.png"), "not a picture");
        assertThatThrownBy(() -> InputsReader.read(InputsSpec.of(text), model(1, 3, 8, 8)))
                .hasMessage(text + " does not decode as an image (PNG, JPEG, BMP, GIF and TIFF are read)");
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        Path whole = dir.resolve("whole.png");
        ImageIO.write(image, "png", whole.toFile());
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.png"), Arrays.copyOf(bytes, 60));
        assertThatThrownBy(() -> InputsReader.read(InputsSpec.of(cut), model(1, 3, 8, 8)))
                .hasMessageStartingWith(cut + " does not decode as an image").hasMessageNotContaining("\n");
    }

    @Test
    void anImageForAnInputThatIsNotAFloatImageNamesBoth() throws Exception {
        Path png = dir.resolve("a.png");
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        ModelInputs ids = new ModelInputs(List.of(new ModelInputs.Input("ids", DataType.INT64, new long[] {-1, 8})));
        assertThatThrownBy(() -> InputsReader.read(InputsSpec.of(png), ids)).hasMessage("image " + png
                + " does not fit model input 'ids' (int64 [-1, 8]): an image feeds a float input of rank 4 (NCHW or "
                + "NHWC)");
    }

    @Test
    void preprocessingSpecsParseAndBadOnesNameTheKey() {
        ImagePreprocessing imagenet = ImagePreprocessing.parse("imagenet,crop=299,resize=342");
        assertThat(imagenet.cropWidth()).isEqualTo(299);
        assertThat(imagenet.resizeShorter()).isEqualTo(342);
        assertThat(imagenet.mean()).containsExactly(0.485, 0.456, 0.406);
        ImagePreprocessing pairs = ImagePreprocessing.parse("resize=320x240,mean=0.5,std=0.5,layout=nhwc");
        assertThat(pairs.resizeWidth()).isEqualTo(320);
        assertThat(pairs.resizeHeight()).isEqualTo(240);
        assertThat(pairs.layout()).isEqualTo("nhwc");
        assertThat(ImagePreprocessing.PRESETS).containsKeys("imagenet", "imagenet-bgr", "unit", "gray", "raw",
                "inception");
        assertThatThrownBy(() -> ImagePreprocessing.parse("imagenett")).hasMessage("--preprocess: unknown preset "
                + "'imagenett'; presets are gray, imagenet, imagenet-bgr, inception, raw, unit (first), then "
                + "key=value pairs");
        assertThatThrownBy(() -> ImagePreprocessing.parse("imagenet,size=3")).hasMessageStartingWith(
                "--preprocess: unknown key 'size'");
        assertThatThrownBy(() -> ImagePreprocessing.parse("crop=0")).hasMessage("--preprocess: crop='0' is not a "
                + "whole number of pixels from 1 to 100000");
        assertThatThrownBy(() -> ImagePreprocessing.parse("std=1,0,1")).hasMessage("--preprocess: std '1,0,1' "
                + "holds a zero");
        assertThatThrownBy(() -> ImagePreprocessing.parse("mean=1,2")).hasMessageContaining("one number, or three");
    }
}
