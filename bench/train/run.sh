#!/usr/bin/env bash
# Training steps/s of LeNet-5: Verdant's ONNX interpreter vs the same network written with DJL's blocks, one JVM.
# Usage: bench/train/run.sh [batch=64] [steps=100] [rounds=3]; PyTorch threads with
#   BENCH_JAVA_OPTS="-Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1" bench/train/run.sh
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/../run-java.sh" verdant-train bench/train/TrainStepBenchmark.java "$@"
