#!/usr/bin/env bash
# all-MiniLM-L6-v2 with heads / FFN channels pruned (prune-structured encoder settings), with and without the
# least-squares reconstruction, side by side in one JVM.
# Usage: bench/compress-prune/run.sh THREADS ROUNDS CALIBRATION CHECK ARG... (ARG: a prune-structured argument, e.g.
#        ffn=0.25,reconstruct=no; a trailing +int8 also runs int8-dynamic on it)
#    or: bench/compress-prune/run.sh finetune THREADS CALIBRATION CHECK ARG... (ARG with epochs=, e.g.
#        ffn=0.5,heads=0.5,epochs=3,lr=1e-4): fidelity before and after fine-tuning, training time and energy
set -euo pipefail
program=bench/compress-prune/TransformerPruningBench.java
if [ "${1:-}" = finetune ]; then
  program=bench/compress-prune/EncoderFineTuningBench.java
  shift
fi
BENCH_JAVA_OPTS="-Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_JAVA_OPTS:-}" MAVEN_ARGS="-o ${MAVEN_ARGS:-}" \
  exec "$(dirname "${BASH_SOURCE[0]}")/../run-java.sh" verdant-compress "$program" "$@"
