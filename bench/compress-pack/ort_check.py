"""An independent accuracy check (issue 24): top-1 accuracy of ONNX classifiers on the 10,000 Fashion-MNIST (or MNIST)
test images in Python ONNX Runtime, read straight from the IDX files, outside Verdant's code.
Usage: ort_check.py IDX_FOLDER model.onnx [model2.onnx ...]; pixels / 255 as Verdant's loader does."""
import gzip, sys, os
import numpy as np
import onnxruntime as ort

folder = sys.argv[1]
def idx(name):
    with gzip.open(os.path.join(folder, name)) as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)
images = idx('t10k-images-idx3-ubyte.gz').astype(np.float32) / 255.0
labels = idx('t10k-labels-idx1-ubyte.gz')
for path in sys.argv[2:]:
    opts = ort.SessionOptions(); opts.intra_op_num_threads = 1
    s = ort.InferenceSession(path, opts, providers=['CPUExecutionProvider'])
    inp = s.get_inputs()[0]
    shape = [d if isinstance(d, int) else -1 for d in inp.shape]
    x = images.reshape([-1] + shape[1:]) if len(shape) > 1 else images
    correct = 0
    for i in range(0, len(x), 500):
        out = s.run(None, {inp.name: x[i:i + 500]})[0]
        correct += int((out.argmax(axis=1) == labels[i:i + 500]).sum())
    print(f"{path}: {correct / len(x) * 100:.2f}% ({correct}/{len(x)}), {os.path.getsize(path):,} bytes, input {inp.name} {inp.shape}")
