import dev.verdant.data.*;

/** Times loading the real datasets, a stratified split and batching; a benchmark, not a test (see README.md). */
public class LoadTiming {
    public static void main(String[] args) {
        for (String spec : new String[] {"fashion-mnist", "mnist-digits", "wordnet-nouns", "fortunes"}) {
            DataSource<?> source = Datasets.resolve(spec);
            for (int run = 0; run < 3; run++) {
                long t0 = System.nanoTime();
                Dataset<?> d = source.parts().contains(Part.TRAIN) ? ((IdxSource) source).load(Part.TRAIN) : source.loadAll();
                long t1 = System.nanoTime();
                System.out.printf("%s run %d: %d samples in %.0f ms%n", spec, run, d.size(), (t1 - t0) / 1e6);
            }
        }
        ImageDataset train = Datasets.resolveImages("fashion-mnist").load(Part.TRAIN);
        for (int run = 0; run < 3; run++) {
            long t0 = System.nanoTime();
            Split<ImageDataset> split = train.stratifiedSplit(0.9, run);
            long t1 = System.nanoTime();
            int batches = 0;
            for (Batch b : train.batches(64)) batches++;
            long t2 = System.nanoTime();
            System.out.printf("stratified split 60k: %.0f ms; %d batches of 64: %.0f ms%n", (t1 - t0) / 1e6, batches, (t2 - t1) / 1e6);
        }
    }
}
