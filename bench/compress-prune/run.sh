#!/usr/bin/env bash
# all-MiniLM-L6-v2 with heads / FFN channels pruned (prune-structured encoder settings), with and without the
# least-squares reconstruction, side by side in one JVM.
# Usage: bench/compress-prune/run.sh THREADS ROUNDS CALIBRATION CHECK ARG... (ARG: a prune-structured argument, e.g.
#        ffn=0.25,reconstruct=no; a trailing +int8 also runs int8-dynamic on it)
#    or: bench/compress-prune/run.sh finetune THREADS CALIBRATION CHECK ARG... (ARG with epochs=, e.g.
#        ffn=0.5,heads=0.5,epochs=3,lr=1e-4): fidelity before and after fine-tuning, training time and energy
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
# test scope: PyTorch's native build and the built-in models are test dependencies (the libraries publish neither)
./mvnw -q -B -o -pl verdant-compress -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test >&2
program=bench/compress-prune/TransformerPruningBench.java
if [ "${1:-}" = finetune ]; then
  program=bench/compress-prune/EncoderFineTuningBench.java
  shift
fi
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "verdant-compress/target/classes:$(cat verdant-compress/target/classpath.txt)" \
  "$program" "$@"
