#!/usr/bin/env python3
"""One GEMM of all-MiniLM-L6-v2's FFN shape (267 real tokens x 384 -> 1536, what a batch of 16 WordNet glosses
padded to their longest holds after unpad) in fp32 and in ONNX Runtime's int8 forms, each as a one-node model:
how much faster int8 can make the part of the encoder that dominates its time, on this CPU.

Usage: python3 bench/encoder-check/int8_gemm_microbench.py [M K N]   (needs numpy, onnx, onnxruntime)
A benchmark, not a test. Prints the median of 7 runs of 50 calls per form at 1 and 2 intra-op threads.
"""
import sys
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

M, K, N = (int(v) for v in sys.argv[1:4]) if len(sys.argv) == 4 else (267, 384, 1536)
rng = np.random.default_rng(0)
weights = (rng.standard_normal((K, N)) * 0.05).astype(np.float32)
scales = (np.abs(weights).max(0) / 127).astype(np.float32)
int8_weights = np.clip(np.round(weights / scales), -127, 127).astype(np.int8)


def model(nodes, initializers, input_type, output_type):
    graph = helper.make_graph(nodes, "gemm", [helper.make_tensor_value_info("x", input_type, [M, K])],
                              [helper.make_tensor_value_info("y", output_type, [M, N])], initializers)
    built = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17),
                                                    helper.make_opsetid("com.microsoft", 1)])
    built.ir_version = 8
    onnx.checker.check_model(built)
    return built.SerializeToString()


w8 = numpy_helper.from_array(int8_weights, "w8")
ws = numpy_helper.from_array(scales, "ws")
zero = numpy_helper.from_array(np.uint8(128), "xz")
forms = {
    "fp32 MatMul": (model([helper.make_node("MatMul", ["x", "w"], ["y"])],
                          [numpy_helper.from_array(weights, "w")], TensorProto.FLOAT, TensorProto.FLOAT), "float"),
    "DynamicQuantizeMatMul (what int8-dynamic writes)": (model(
        [helper.make_node("DynamicQuantizeMatMul", ["x", "w8", "ws"], ["y"], domain="com.microsoft")],
        [w8, ws], TensorProto.FLOAT, TensorProto.FLOAT), "float"),
    "QuantizeLinear + MatMulIntegerToFloat (static activation scale)": (model(
        [helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"]),
         helper.make_node("MatMulIntegerToFloat", ["xq", "w8", "xs1", "ws", "xz"], ["y"], domain="com.microsoft")],
        [w8, ws, zero, numpy_helper.from_array(np.float32(0.02), "xs"),
         numpy_helper.from_array(np.array([0.02], np.float32), "xs1")], TensorProto.FLOAT, TensorProto.FLOAT), "float"),
    "MatMulInteger alone (uint8 in, int32 out: no quantize, no float out)": (model(
        [helper.make_node("MatMulInteger", ["x", "w8", "xz"], ["y"])], [w8, zero],
        TensorProto.UINT8, TensorProto.INT32), "uint8"),
}
feeds = {"float": rng.standard_normal((M, K)).astype(np.float32),
         "uint8": rng.integers(0, 255, (M, K)).astype(np.uint8)}
print(f"onnxruntime {ort.__version__}, GEMM {M}x{K} @ {K}x{N}")
for threads in (1, 2):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    medians = {}
    for name, (serialized, kind) in forms.items():
        session = ort.InferenceSession(serialized, options, providers=["CPUExecutionProvider"])
        for _ in range(20):
            session.run(None, {"x": feeds[kind]})
        runs = []
        for _ in range(7):
            start = time.perf_counter()
            for _ in range(50):
                session.run(None, {"x": feeds[kind]})
            runs.append((time.perf_counter() - start) / 50)
        medians[name] = sorted(runs)[3]
    reference = medians["fp32 MatMul"]
    for name, seconds in medians.items():
        print(f"{threads} thread(s)  {name:72s} {seconds * 1000:7.3f} ms  {reference / seconds:5.2f}x fp32"
              f"  {M * K * N / seconds / 1e9:6.1f} GMAC/s")
