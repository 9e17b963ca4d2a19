#!/usr/bin/env bash
# Training steps/s of LeNet-5: Verdant's ONNX interpreter vs the same network written with DJL's blocks, one JVM.
# Usage: bench/train/run.sh [batch=64] [steps=100] [rounds=3]; PyTorch threads with
#   BENCH_JAVA_OPTS="-Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1" bench/train/run.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
# test scope: PyTorch's native build and the built-in models are test dependencies (the libraries publish neither)
./mvnw -q -B -pl verdant-train -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test >&2
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true ${BENCH_JAVA_OPTS:-} \
  -cp "verdant-train/target/classes:$(cat verdant-train/target/classpath.txt)" \
  bench/train/TrainStepBenchmark.java "$@"
