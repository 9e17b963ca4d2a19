#!/usr/bin/env bash
# all-MiniLM-L6-v2 pruned with prune-structured encoder settings, with and without fine-tuning (epochs=), in one JVM.
# Usage: bench/compress-prune-ft/run.sh THREADS CALIBRATION CHECK ARG... (ARG: a prune-structured argument, e.g.
#        ffn=0.5,heads=0.5,epochs=3,lr=1e-4)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -B -o -pl verdant-compress -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "verdant-compress/target/classes:$(cat verdant-compress/target/classpath.txt)" \
  bench/compress-prune-ft/EncoderFineTuningBench.java "$@"
