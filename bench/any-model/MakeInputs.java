import dev.verdant.data.DataSource;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.Part;
import dev.verdant.data.TextDataset;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Real inputs for the any-model proof of issue 23, made from real data no one here wrote, in the formats users have:
 * <ul>
 *   <li>{@code fashion-png/}: Fashion-MNIST test images as 28x28 grey PNGs (the Debian package, or the committed
 *       sample), named {@code NNNN-LABEL.png};</li>
 *   <li>{@code ocr-det/}: pages of WordNet glosses rendered black on white with a system font (DejaVu Sans, Debian
 *       {@code fonts-dejavu-core}), 640x320, for PP-OCR's text detector;</li>
 *   <li>{@code ocr-rec/}: single lines of those glosses, 320x48, for PP-OCR's recogniser;</li>
 *   <li>{@code speech/}: WordNet glosses spoken by {@code espeak-ng} (Debian), resampled to 16 kHz mono 16-bit by the
 *       JDK, with half a second of silence before and after, for Silero VAD.</li>
 * </ul>
 * Usage: {@code bench/run-java.sh verdant-data bench/any-model/MakeInputs.java OUT [COUNT]} (default 32 of each).
 */
public final class MakeInputs {

    private static final int SAMPLE_RATE = 16_000;

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: MakeInputs OUT [COUNT]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        List<String> glosses = glosses(count * 4);
        fashionPngs(out.resolve("fashion-png"), count);
        Font font = font();
        ocrPages(out.resolve("ocr-det"), glosses, count, font);
        ocrLines(out.resolve("ocr-rec"), glosses, count, font);
        speech(out.resolve("speech"), glosses, Math.min(count, 16));
    }

    /** Short glosses of the WordNet nouns (the Debian package, or the committed sample), in a fixed shuffle. */
    private static List<String> glosses(int wanted) {
        TextDataset texts = Datasets.resolveTexts("wordnet-nouns").loadAll().shuffled(7);
        List<String> chosen = new ArrayList<>();
        for (String text : texts.texts()) {
            String clean = text.replaceAll("[^A-Za-z0-9 ,.;'()-]", "").strip();
            if (clean.length() >= 20 && clean.length() <= 60) {
                chosen.add(clean);
            }
            if (chosen.size() == wanted) {
                break;
            }
        }
        return chosen;
    }

    private static void fashionPngs(Path folder, int count) throws IOException {
        DataSource<ImageDataset> source = Datasets.resolveImages("fashion-mnist");
        ImageDataset images = source.parts().contains(Part.TEST) ? source.load(Part.TEST) : source.loadAll();
        Files.createDirectories(folder);
        for (int i = 0; i < Math.min(count, images.size()); i++) {
            float[] pixels = images.image(i);
            BufferedImage image = new BufferedImage(images.width(), images.height(), BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < images.height(); y++) {
                for (int x = 0; x < images.width(); x++) {
                    int v = Math.round(pixels[y * images.width() + x] * 255f);
                    image.getRaster().setSample(x, y, 0, v);
                }
            }
            ImageIO.write(image, "png", folder.resolve(String.format(Locale.ROOT, "%04d-%d.png", i,
                    images.labels()[i])).toFile());
        }
        System.out.println(folder + ": " + Math.min(count, images.size()) + " PNGs from " + source.name());
    }

    private static Font font() {
        boolean dejaVu = Arrays.asList(GraphicsEnvironment.getLocalGraphicsEnvironment()
                .getAvailableFontFamilyNames()).contains("DejaVu Sans");
        if (!dejaVu) {
            System.err.println("DejaVu Sans is missing (Debian fonts-dejavu-core); the OCR inputs use Java's logical"
                    + " SansSerif font");
        }
        return new Font(dejaVu ? "DejaVu Sans" : Font.SANS_SERIF, Font.PLAIN, 20);
    }

    private static void ocrPages(Path folder, List<String> glosses, int count, Font font) throws IOException {
        Files.createDirectories(folder);
        Random random = new Random(11);
        for (int page = 0; page < count; page++) {
            BufferedImage image = new BufferedImage(640, 320, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = canvas(image, font.deriveFont(18f + random.nextInt(8)));
            FontMetrics metrics = g.getFontMetrics();
            int y = 30 + random.nextInt(20);
            for (int line = 0; line < 4 && y < 300; line++) {
                String text = glosses.get((page * 4 + line) % glosses.size());
                g.drawString(fit(text, metrics, 600), 16 + random.nextInt(20), y);
                y += metrics.getHeight() + 20 + random.nextInt(25);
            }
            g.dispose();
            ImageIO.write(image, "png", folder.resolve(String.format(Locale.ROOT, "page-%03d.png", page)).toFile());
        }
        System.out.println(folder + ": " + count + " pages of 640x320");
    }

    private static void ocrLines(Path folder, List<String> glosses, int count, Font font) throws IOException {
        Files.createDirectories(folder);
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(320, 48, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = canvas(image, font.deriveFont(24f));
            FontMetrics metrics = g.getFontMetrics();
            String text = fit(glosses.get(i % glosses.size()), metrics, 310);
            g.drawString(text, 5, (48 + metrics.getAscent() - metrics.getDescent()) / 2);
            g.dispose();
            ImageIO.write(image, "png", folder.resolve(String.format(Locale.ROOT, "line-%03d.png", i)).toFile());
        }
        System.out.println(folder + ": " + count + " lines of 320x48");
    }

    private static Graphics2D canvas(BufferedImage image, Font font) {
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(font);
        return g;
    }

    /** The longest prefix of whole words that fits {@code width} pixels. */
    private static String fit(String text, FontMetrics metrics, int width) {
        String fitted = text;
        while (metrics.stringWidth(fitted) > width && fitted.contains(" ")) {
            fitted = fitted.substring(0, fitted.lastIndexOf(' '));
        }
        return fitted;
    }

    private static void speech(Path folder, List<String> glosses, int count) throws Exception {
        Files.createDirectories(folder);
        for (int i = 0; i < count; i++) {
            Path raw = Files.createTempFile("espeak", ".wav");
            try {
                Process p;
                try {
                    p = new ProcessBuilder("espeak-ng", "-v", "en-us", "-s", "150", "-w", raw.toString(),
                            glosses.get(i)).redirectErrorStream(true).start();
                } catch (IOException e) {
                    System.err.println("espeak-ng is missing (Debian espeak-ng): no speech inputs");
                    return;
                }
                p.getInputStream().readAllBytes();
                if (p.waitFor() != 0) {
                    throw new IOException("espeak-ng failed on: " + glosses.get(i));
                }
                writeWithSilence(raw, folder.resolve(String.format(Locale.ROOT, "speech-%02d.wav", i)));
            } finally {
                Files.deleteIfExists(raw);
            }
        }
        System.out.println(folder + ": " + count + " spoken glosses at 16 kHz");
    }

    /** Resamples to 16 kHz mono 16-bit (the JDK's converter) and adds 0.5 s of silence at each end. */
    private static void writeWithSilence(Path raw, Path target) throws Exception {
        AudioFormat pcm16k = new AudioFormat(SAMPLE_RATE, 16, 1, true, false);
        byte[] speech;
        try (AudioInputStream in = AudioSystem.getAudioInputStream(raw.toFile());
                AudioInputStream resampled = AudioSystem.getAudioInputStream(pcm16k, in)) {
            speech = resampled.readAllBytes();
        }
        byte[] silence = new byte[SAMPLE_RATE]; // 0.5 s of 2-byte samples
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(silence);
        all.write(speech);
        all.write(silence);
        byte[] bytes = all.toByteArray();
        try (AudioInputStream stream = new AudioInputStream(new ByteArrayInputStream(bytes), pcm16k,
                bytes.length / 2)) {
            AudioSystem.write(stream, AudioFileFormat.Type.WAVE, new File(target.toString()));
        }
    }
}
