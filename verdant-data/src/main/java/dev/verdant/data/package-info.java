/**
 * Datasets for Verdant: find them ({@link dev.verdant.data.Datasets#resolve}), load them into immutable records
 * ({@link dev.verdant.data.ImageDataset}, {@link dev.verdant.data.TextDataset},
 * {@link dev.verdant.data.TabularDataset}), split them with a seed, and batch them as plain arrays with the shape a
 * model's input wants ({@link dev.verdant.data.BatchTensors}); verdant-runtime makes ONNX Runtime tensors of them.
 *
 * <p>Typical use:
 * <pre>{@code
 * DataSource<ImageDataset> source = Datasets.resolveImages("fashion-mnist");
 * source.note().ifPresent(System.err::println);            // e.g. "using the committed sample"
 * Split<ImageDataset> data = source.trainTest(0.2, 42);     // predefined train/test, or a stratified split
 * for (Batch batch : data.train().shuffled(7).batches(64)) {
 *     long[] shape = BatchTensors.inputShape(batch.sampleShape(), batch.size(), declared); // [64,1,28,28], [64,784]
 * }
 * }</pre>
 *
 * <p>Images are float32 in [0, 1]; normalization belongs in the ONNX graph, so an exported model works as is with
 * any ONNX consumer. Every bad file or name is a {@link dev.verdant.data.DataFormatException} with one line.
 */
package dev.verdant.data;
